package io.runlog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Internal: whole-file writes that a crash cannot leave half-done, through the
 * {@link FileSystemFacade} seam. Used for the store's metadata files and the archive's source
 * identities and import marks.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code content} to a temporary sibling ({@code .NAME.tmp-RANDOM}), fsyncs it, renames
     * it over {@code file} and fsyncs the directory; the temporary file never outlives the call.
     */
    public static void write(final FileSystemFacade fs, final Path file, final byte[] content) throws IOException {
        final Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                final ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            fs.moveAtomically(tmp, file);
            fs.forceDirectory(file.getParent());
        } finally {
            fs.deleteIfExists(tmp);
        }
    }
}
