package io.runlog.store;

import io.runlog.StorageFullException;
import io.runlog.StoreAccessException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses writes before the disk is full, because a memory-mapped write to a full disk raises
 * SIGBUS and kills the JVM. Every journal append and file write asks first.
 *
 * <p>Cold writes call {@link #reserveNow(long)}, which asks the file system every time (one
 * {@code statvfs}, about a microsecond). Point batches call {@link #reserve(long)}, which asks
 * only when the bytes granted since the last query exceed a budget: half the space free above
 * the reserve, capped at an eighth of the reserve (at least 64 KiB). So the drainer writes at
 * most that cap between two checks, which the reserve itself covers.
 */
public final class DiskSpaceGuard {
    private final FileSystemFacade fs;
    private final Path path;
    private final long reserveBytes;
    private final AtomicLong budget = new AtomicLong(0);

    public DiskSpaceGuard(final FileSystemFacade fs, final Path path, final long reserveBytes) {
        this.fs = fs;
        this.path = path;
        this.reserveBytes = reserveBytes;
    }

    /**
     * Grants {@code bytes} of writing or throws.
     *
     * @throws StorageFullException when fewer than {@code bytes} are free above the reserve
     */
    public void reserve(final long bytes) {
        while (true) {
            final long b = budget.get();
            if (b >= bytes) {
                if (budget.compareAndSet(b, b - bytes)) {
                    return;
                }
                continue;
            }
            refill(bytes);
        }
    }

    /** Grants {@code bytes} after asking the file system, whatever the budget. */
    public void reserveNow(final long bytes) {
        refill(bytes);
        budget.addAndGet(-Math.min(bytes, budget.get()));
    }

    private synchronized void refill(final long bytes) {
        final long free;
        try {
            free = fs.usableSpace(path);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read free space of " + path + ": " + e.getMessage(), e);
        }
        final long above = free - reserveBytes;
        if (above < bytes) {
            budget.set(0);
            throw new StorageFullException("disk holding " + path + " has " + free + " bytes free, below the reserve of "
                + reserveBytes + " bytes plus " + bytes + " to write; free space or lower the reserve (StoreOptions.diskReserveBytes, runlog --disk-reserve)");
        }
        budget.set(Math.max(bytes, Math.min(above / 2, Math.max(64L << 10, reserveBytes / 8))));
    }
}
