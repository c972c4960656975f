package io.runlog.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The seam every file operation of Runlog's own (the point ring, blobs, metadata files, free-space
 * checks) goes through, so that tests can inject faults such as a full disk. Chronicle Queue's
 * own file access does not go through it; Runlog guards it with free-space checks made here
 * before every journal append (see {@link DiskSpaceGuard}).
 *
 * <p>Implementations must be thread-safe.
 */
public interface FileSystemFacade {
    /** The default: plain {@code java.nio}. */
    FileSystemFacade DEFAULT = new DefaultFileSystem();

    /** Bytes available to this JVM on the file store holding {@code path}. */
    long usableSpace(Path path) throws IOException;

    FileChannel open(Path path, OpenOption... options) throws IOException;

    /** Atomic rename; replaces {@code target} if it exists. */
    void moveAtomically(Path source, Path target) throws IOException;

    /** Deletes the file if it exists. */
    void deleteIfExists(Path path) throws IOException;

    void createDirectories(Path path) throws IOException;

    /** Forces a directory's entries (new and renamed files) to the device. */
    void forceDirectory(Path directory) throws IOException;
}
