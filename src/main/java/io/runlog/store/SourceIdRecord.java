package io.runlog.store;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Internal: the checked copy of an experiment's archive source identity, the key {@value #KEY} of
 * its {@code experiment.properties} (a CRC32C-checked metadata file, {@link PropertiesFile}). The
 * identity itself is {@code archive-source.id} ({@code io.runlog.archive.SourceIdentity}), plain
 * text without a check: a flipped digit there, or its loss, would export the experiment under
 * another identity, so an importer would take its archives for another source's and import them
 * again. With the copy, a changed file is refused and a lost one restored.
 *
 * <p>Written once, when the identity is created or adopted (or first read, for an experiment an
 * older build exported, whose file is then trusted as it is); never changed after. Rewrites
 * {@code experiment.properties} atomically, keeping every other key.
 */
public final class SourceIdRecord {
    /** The key in {@code experiment.properties}. */
    public static final String KEY = "sourceId";

    private SourceIdRecord() {
    }

    /**
     * The identity {@code experiment.properties} records, or null if it records none.
     *
     * @throws io.runlog.CorruptStoreException if the file is damaged (named)
     */
    public static String recorded(final FileSystemFacade fs, final Path experimentDir) {
        final Path file = StoreLayout.experimentFile(experimentDir);
        if (!fs.exists(file)) {
            return null;
        }
        return PropertiesFile.read(fs, file).getProperty(KEY);
    }

    /**
     * Records {@code sourceId} in {@code experiment.properties} (caller: once, when it has none);
     * a directory without that file (not an experiment's, as in format tests) gets no copy.
     */
    public static void record(final FileSystemFacade fs, final Path experimentDir, final String sourceId) {
        final Path file = StoreLayout.experimentFile(experimentDir);
        if (!fs.exists(file)) {
            return;
        }
        final Properties p = PropertiesFile.read(fs, file);
        p.setProperty(KEY, sourceId);
        // the comment StoreEngine wrote it with: a metadata file stays a function of its content
        final String key = experimentDir.getFileName().toString();
        final String project = experimentDir.getParent().getParent().getFileName().toString();
        PropertiesFile.write(fs, file, p, "experiment '" + key + "' in project '" + project + "'");
    }

}
