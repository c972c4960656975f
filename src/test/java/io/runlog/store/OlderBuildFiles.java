package io.runlog.store;

import java.nio.file.Path;
import java.util.Properties;

/** Test fixtures: store files as an older build wrote them, for tests in other packages. */
public final class OlderBuildFiles {
    private OlderBuildFiles() {
    }

    /** Removes the checked copy of the source identity from {@code experiment.properties}, as builds before it wrote the file. */
    public static void forgetSourceIdCopy(final Path experimentDir) {
        final Path file = StoreLayout.experimentFile(experimentDir);
        final Properties p = PropertiesFile.read(FileSystemFacade.DEFAULT, file);
        p.remove(SourceIdRecord.KEY);
        final String key = experimentDir.getFileName().toString();
        final String project = experimentDir.getParent().getParent().getFileName().toString();
        PropertiesFile.write(FileSystemFacade.DEFAULT, file, p, "experiment '" + key + "' in project '" + project + "'");
    }
}
