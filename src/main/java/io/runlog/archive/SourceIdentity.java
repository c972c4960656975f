package io.runlog.archive;

import io.runlog.internal.IoErrors;
import io.runlog.store.AtomicFile;
import io.runlog.CorruptStoreException;
import io.runlog.ReadOnlyStoreException;
import io.runlog.StoreAccessException;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Internal: the identity an experiment carries into its archives: 128 random bits, written once
 * (temporary file, fsync, atomic rename) to {@code archive-source.id} in the experiment's
 * directory on its first export, and the same for every later export. An importing store keeps
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
            if (fs.exists(file)) {
                final String id = read(fs, file);
                if (!id.matches("[0-9a-f]{32}")) {
                    throw new CorruptStoreException(file + " does not hold 32 hex digits");
                }
                return id;
            }
            if (readOnly) {
                throw new ReadOnlyStoreException("experiment " + experimentDir + " was never exported, so it has no"
                    + " archive source identity (" + StoreLayout.SOURCE_ID_FILE + ") yet, and a read-only open"
                    + " creates none; export it once from a read-write open");
            }
            final byte[] bytes = new byte[ArchiveLayout.SOURCE_ID_LENGTH];
            RANDOM.nextBytes(bytes);
            final String id = HexFormat.of().formatHex(bytes);
            AtomicFile.write(fs, file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
            return id;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read or create " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** The identity in an existing file, or null if the experiment has none (never exported or imported). */
    static String existing(final FileSystemFacade fs, final Path experimentDir) throws IOException {
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
                AtomicFile.write(fs, file, (sourceId + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create " + file + ": " + IoErrors.describe(e), e);
        }
    }
}
