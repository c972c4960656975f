package io.runlog.archive;

import io.runlog.internal.IoErrors;
import io.runlog.store.AtomicFile;
import io.runlog.CorruptStoreException;
import io.runlog.ReadOnlyStoreException;
import io.runlog.StoreAccessException;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.SourceIdRecord;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Internal: the identity an experiment carries into its archives: 128 random bits, written once
 * (temporary file, fsync, atomic rename) to {@code archive-source.id} in the experiment's
 * directory on its first export, and the same for every later export. A checked copy is kept in
 * {@code experiment.properties} ({@link SourceIdRecord}): a file that disagrees with it is a
 * {@code CorruptStoreException}, a lost file is restored from it. An importing store keeps
 * its high-water marks per source identity.
 */
final class SourceIdentity {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SourceIdentity() {
    }

    /** The experiment's source identity (32 lower-case hex digits), created if it has none. */
    static synchronized String of(final FileSystemFacade fs, final Path experimentDir) {
        return of(fs, experimentDir, false);
    }

    /**
     * As {@link #of(FileSystemFacade, Path)}; a read-only experiment uses the identity it has
     * and never creates one (a random one made up for one export would make its archives look
     * like another source's).
     *
     * @throws ReadOnlyStoreException if {@code readOnly} and the experiment has no identity yet
     */
    static synchronized String of(final FileSystemFacade fs, final Path experimentDir, final boolean readOnly) {
        final Path file = StoreLayout.sourceIdFile(experimentDir);
        try {
            final String recorded = SourceIdRecord.recorded(fs, experimentDir);
            if (fs.exists(file)) {
                final String id = read(fs, file);
                if (!id.matches("[0-9a-f]{32}")) {
                    throw new CorruptStoreException(file + " does not hold 32 hex digits");
                }
                if (recorded == null) {
                    if (!readOnly) {
                        SourceIdRecord.record(fs, experimentDir, id); // exported by an older build: trusted as it is
                    }
                } else if (!recorded.equals(id)) {
                    throw new CorruptStoreException(file + " holds the identity " + id + ", but "
                        + StoreLayout.experimentFile(experimentDir) + " records " + recorded
                        + " (a damaged identity would export this experiment as another source)");
                }
                return id;
            }
            if (recorded != null) {
                // the file was lost; its checked copy restores it (a new identity would make archives look like another source's)
                if (!recorded.matches("[0-9a-f]{32}")) {
                    throw new CorruptStoreException(StoreLayout.experimentFile(experimentDir) + ": "
                        + SourceIdRecord.KEY + " does not hold 32 hex digits");
                }
                if (!readOnly) {
                    AtomicFile.write(fs, file, (recorded + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                return recorded;
            }
            if (readOnly) {
                throw new ReadOnlyStoreException("experiment " + experimentDir + " was never exported, so it has no"
                    + " archive source identity (" + StoreLayout.SOURCE_ID_FILE + ") yet, and a read-only open"
                    + " creates none; export it once from a read-write open");
            }
            final byte[] bytes = new byte[ArchiveLayout.SOURCE_ID_LENGTH];
            RANDOM.nextBytes(bytes);
            final String id = HexFormat.of().formatHex(bytes);
            SourceIdRecord.record(fs, experimentDir, id); // the checked copy first: a crash between leaves it to restore from
            AtomicFile.write(fs, file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
            return id;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read or create " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * The experiment's identity, or null if it has none (never exported or imported): its checked
     * copy in {@code experiment.properties} if there is one, else the file an older build wrote.
     */
    static String existing(final FileSystemFacade fs, final Path experimentDir) throws IOException {
        final String recorded = SourceIdRecord.recorded(fs, experimentDir);
        if (recorded != null) {
            return recorded;
        }
        final Path file = StoreLayout.sourceIdFile(experimentDir);
        return fs.exists(file) ? read(fs, file) : null;
    }

    private static String read(final FileSystemFacade fs, final Path file) throws IOException {
        return new String(fs.readAllBytes(file), StandardCharsets.US_ASCII).strip();
    }

    /**
     * Gives an experiment that an import just created its source's identity, so that the copy
     * exports under the original's identity: importing the copy's archive back into the original
     * (or into any store holding another copy) is then recognised and adds nothing.
     */
    static synchronized void adopt(final FileSystemFacade fs, final Path experimentDir, final String sourceId) {
        final Path file = StoreLayout.sourceIdFile(experimentDir);
        try {
            if (!fs.exists(file)) {
                SourceIdRecord.record(fs, experimentDir, sourceId);
                AtomicFile.write(fs, file, (sourceId + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create " + file + ": " + IoErrors.describe(e), e);
        }
    }
}
