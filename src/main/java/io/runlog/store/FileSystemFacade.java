package io.runlog.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The seam every file operation of Runlog's own goes through (store and project metadata, the
 * point ring, the journal's syncs, blobs, archives, import marks, free-space checks), so that
 * tests can inject faults such as a full disk, a read-only directory or a failing rename, after
 * QuestDB's {@code FilesFacade}. Chronicle Queue's own file access (its cycle files and
 * {@code metadata.cq4t}) does not go through it; Runlog guards it with free-space checks made
 * here before every journal append (see {@link DiskSpaceGuard}).
 *
 * <p>Implementations must be thread-safe. {@link #DEFAULT} is plain {@code java.nio}; tests
 * wrap it in a forwarding facade with a hook per operation ({@code FaultyFileSystem}).
 */
public interface FileSystemFacade {
    /** The default: plain {@code java.nio}. */
    FileSystemFacade DEFAULT = new DefaultFileSystem();

    /** Bytes available to this JVM on the file store holding {@code path}. */
    long usableSpace(Path path) throws IOException;

    /** Opens a channel, as {@link FileChannel#open(Path, OpenOption...)}: every read and write of a file's bytes. */
    FileChannel open(Path path, OpenOption... options) throws IOException;

    /** Atomic rename; replaces {@code target} if it exists (a file). */
    void moveAtomically(Path source, Path target) throws IOException;

    /**
     * Atomic rename that never replaces: fails with {@link java.nio.file.FileAlreadyExistsException}
     * or {@link java.nio.file.DirectoryNotEmptyException} (or another {@link java.nio.file.FileSystemException})
     * if {@code target} exists. Used for directories renamed into place.
     */
    void moveAtomicallyNoReplace(Path source, Path target) throws IOException;

    /** Deletes the file (or empty directory) if it exists. */
    void deleteIfExists(Path path) throws IOException;

    void createDirectories(Path path) throws IOException;

    /** Forces a directory's entries (new and renamed files) to the device. */
    void forceDirectory(Path directory) throws IOException;

    /** The entries of a directory, in no particular order. */
    List<Path> list(Path directory) throws IOException;

    /** True if something exists at {@code path} (following symbolic links). */
    boolean exists(Path path);

    boolean isDirectory(Path path);

    boolean isRegularFile(Path path);

    /** True for a symbolic link (not followed). */
    boolean isSymbolicLink(Path path);

    /** True if this JVM may write into {@code path}. */
    boolean isWritable(Path path);

    /** The size of a file in bytes. */
    long size(Path path) throws IOException;

    /** A whole small file (metadata, marks), read through {@link #open}. */
    default byte[] readAllBytes(final Path path) throws IOException {
        try (FileChannel ch = open(path, StandardOpenOption.READ)) {
            final long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(path + " is " + size + " bytes, too large to read whole");
            }
            final ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until the end of the file
            }
            if (b.hasRemaining() || ch.read(ByteBuffer.allocate(1)) >= 0) {
                throw new IOException(path + " changed size while being read");
            }
            return b.array();
        }
    }

    /** A stream over a file, read through {@link #open}. */
    default InputStream newInputStream(final Path path) throws IOException {
        return Channels.newInputStream(open(path, StandardOpenOption.READ));
    }
}
