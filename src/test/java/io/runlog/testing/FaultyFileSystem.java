package io.runlog.testing;

import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * A {@link FileSystemFacade} that injects faults: a simulated amount of free space, and refusal
 * of every write (as a read-only directory would for an unprivileged user).
 */
public final class FaultyFileSystem implements FileSystemFacade {
    private volatile long usableSpace = Long.MAX_VALUE;
    private volatile boolean readOnly;

    public FaultyFileSystem usableSpace(final long bytes) {
        this.usableSpace = bytes;
        return this;
    }

    public FaultyFileSystem readOnly(final boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    @Override
    public long usableSpace(final Path path) {
        return usableSpace;
    }

    @Override
    public FileChannel open(final Path path, final OpenOption... options) throws IOException {
        denyIfReadOnly(path);
        return DEFAULT.open(path, options);
    }

    @Override
    public void moveAtomically(final Path source, final Path target) throws IOException {
        denyIfReadOnly(target);
        DEFAULT.moveAtomically(source, target);
    }

    @Override
    public void deleteIfExists(final Path path) throws IOException {
        denyIfReadOnly(path);
        DEFAULT.deleteIfExists(path);
    }

    @Override
    public void createDirectories(final Path path) throws IOException {
        denyIfReadOnly(path);
        DEFAULT.createDirectories(path);
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException {
        DEFAULT.forceDirectory(directory);
    }

    private void denyIfReadOnly(final Path path) throws AccessDeniedException {
        if (readOnly) {
            throw new AccessDeniedException(path.toString(), null, "read-only file system (injected)");
        }
    }
}
