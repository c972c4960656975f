package io.runlog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Internal: whole-file writes that a crash cannot leave half-done, through the
 * {@link FileSystemFacade} seam. Used for the store's metadata files and the archive's source
 * identities and import marks.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code content} to a temporary sibling ({@code .NAME.tmp-RANDOM}, locked while it is
     * written), fsyncs it, renames it over {@code file} and fsyncs the directory; the temporary
     * file never outlives the call, and leftovers of writers of the same name that died are
     * removed first (see {@link OutputFile}).
     */
    public static void write(final FileSystemFacade fs, final Path file, final byte[] content) throws IOException {
        OutputFile.replace(fs, file, (ch, regular) -> {
            final ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return null;
        });
    }
}
