package io.runlog.store;

import io.runlog.StoreAccessException;
import io.runlog.StoreLockedException;
import io.runlog.internal.IoErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock of a store opened for writing: a {@code flock} on {@code runlog.lock}, which
 * the kernel releases when its holder dies (so a dead holder's lock is free at once). A store
 * opened read-only takes none.
 */
final class StoreLock {
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the store at {@code root}, creating the lock file if needed.
     *
     * @throws StoreLockedException if another process (or another store of this process) holds it
     * @throws StoreAccessException if the lock file cannot be created or locked
     */
    static StoreLock acquire(final Path root, final FileSystemFacade fs) {
        final FileChannel channel;
        try {
            channel = fs.open(StoreLayout.lockFile(root), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (final AccessDeniedException e) {
            throw new StoreAccessException("store " + root + " is not writable: " + IoErrors.describe(e), e);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot open lock file in " + root + ": " + IoErrors.describe(e), e);
        }
        try {
            final FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreLockedException("store " + root + " is open in another process; close it there first");
            }
            return new StoreLock(channel, lock);
        } catch (final OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreLockedException("store " + root + " is already open in this process; share that RunlogStore");
        } catch (final IOException e) {
            closeQuietly(channel);
            throw new StoreAccessException("cannot lock " + root + ": " + IoErrors.describe(e), e);
        } catch (final RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Releases the lock and closes its file. */
    void release() {
        try {
            lock.release();
        } catch (final IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(final FileChannel ch) {
        try {
            ch.close();
        } catch (final IOException ignored) {
            // nothing more to release
        }
    }
}
