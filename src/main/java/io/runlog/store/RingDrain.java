package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.ClosedException;
import io.runlog.RunlogException;
import io.runlog.StorageFullException;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static io.runlog.store.JournalLayout.*;

/**
 * The metric side of one open experiment: its {@link PointRing} (created on the first metric),
 * the drain of committed points into the journal as POINT_BATCH records, when the background
 * {@link Drainer} drains, how producers help when the ring is full, and the recovery of a ring
 * left behind by a process that died.
 *
 * <p><b>Threading.</b> Producers claim and commit lock-free; everything that touches the journal
 * or the ring's consumer side runs under the experiment's lock (shared with its
 * {@link ExperimentEngine}), which the {@link Drainer} only ever {@code tryLock}s. Methods named
 * {@code ...Locked} need that lock held.
 */
final class RingDrain {
    /** Longest a committed point waits in the ring before the background drain takes it. */
    static final long MAX_DRAIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final AtomicLong SERIALS = new AtomicLong();

    private final Path file;
    private final StoreOptions options;
    private final DiskSpaceGuard guard;
    private final Drainer drainer;
    private final ReentrantLock lock;
    private final Journal journal;
    private final ExperimentCatalog catalog;
    private final String displayName;
    private final FramedBatchWriter batchWriter = new FramedBatchWriter();
    /** Points per batch record: {@link JournalLayout#MAX_BATCH_POINTS}, or fewer for small blocks. */
    private final int batchPoints;
    /** Points the background drain waits for (if younger than the delay): a quarter ring, at most 1024. */
    private final int backgroundBatch;
    /** Drainer only, under the lock: when it first saw fewer than a batch of points waiting (0: none). */
    private long waitingSince;
    /**
     * Producers only (volatile write, once per batch they drain): how many times a producer found
     * the ring full and drained a batch itself. A change tells the {@link Drainer} the producers
     * are out-running any drain and doing it themselves, so it stands aside (see
     * {@link #producersOutpaceTheDrain}).
     */
    private volatile long producerDrains;
    /** Producers only, under the lock: the id of the thread that last drained this ring itself. */
    private volatile long producerDrainThread;
    /** Drainer only: whether the producers outpace the drain, from the drainer's looks. */
    private final ProducerPace pace = new ProducerPace();
    /** Stands for this experiment's unknown producer thread ({@link #producerThread}): negative, never a thread id. */
    private final long serial = -SERIALS.incrementAndGet();
    private volatile PointRing ring;
    private volatile boolean closed;

    /**
     * Told, under the lock, when a ring file comes into use and just before one is deleted, so the
     * journal's manifest can say whether a ring may hold points the journal does not.
     */
    interface RingEvents {
        /** A ring was created; it is handed to producers only after this returns. */
        void created();

        /** Every point of the ring is in the journal; the ring file is deleted after this returns. */
        void retiring();

        /** A batch was appended to the journal and the ring's head moved past it. */
        void drained();

        /**
         * Recovery appended the intact slots of a ring left by a process that died; the ring is
         * deleted after this (and {@link #retiring}) returns, so what it reports outlives the ring.
         */
        default void recovered(final RingReport report) {
        }
    }

    private final RingEvents events;

    RingDrain(final Path file, final StoreOptions options, final DiskSpaceGuard guard, final Drainer drainer,
              final ReentrantLock lock, final Journal journal, final ExperimentCatalog catalog, final String displayName,
              final RingEvents events) {
        this.events = events;
        this.file = file;
        this.options = options;
        this.guard = guard;
        this.drainer = drainer;
        this.lock = lock;
        this.journal = journal;
        this.catalog = catalog;
        this.displayName = displayName;
        this.batchPoints = maxBatchPoints(journal.maxRecordLength());
        this.backgroundBatch = Math.min(1024, options.ringCapacity() / 4);
    }

    /** The most points whose batch (even one run per point, trailer included) fits in a record of {@code maxRecord} bytes. */
    static int maxBatchPoints(final int maxRecord) {
        return Math.min(MAX_BATCH_POINTS, (maxRecord - PointBatchDescriptor.LENGTH - PointBatchDescriptor.DIRECTORY_CRC_LENGTH
            - RecordTrailerDescriptor.LENGTH)
            / (BatchEntryDescriptor.LENGTH + MAX_POINT_BYTES));
    }

    // ------------------------------------------------------------------ recovery

    /**
     * Lock held, at open: drains a ring left behind by a process that died into the journal, then
     * deletes it. Only committed slots whose check holds (format 2) are appended; torn, damaged and
     * stale slots are skipped, counted in the report and logged as a warning ({@code System.Logger})
     * if any were damaged.
     *
     * @return what was found, or null if there was no ring
     */
    RingReport recoverLocked() {
        if (!StoreAccess.fileSystem(options).exists(file)) {
            return null;
        }
        final PointRing old = PointRing.openForRecovery(file, StoreAccess.fileSystem(options));
        try {
            final long from = catalog.ringEndPosition();
            final RingReport scan = RingReport.scan(old, from);
            final long window = from + old.capacity();
            long last = -1;
            for (long p = from; p < window; p++) {
                if (old.isCommitted(p)) {
                    last = p;
                }
            }
            final long skippedBefore = batchWriter.skippedPoints();
            for (long p = from; p <= last; p += batchPoints) {
                final long end = Math.min(p + batchPoints, last + 1);
                guard.reserve(maxBatchLength(batchPoints, batchPoints));
                batchWriter.write(old, p, end, false, journal, catalog);
            }
            final RingReport report = scan.withUndefinedMetric(batchWriter.skippedPoints() - skippedBefore);
            if (!report.intact()) {
                System.getLogger(ExperimentEngine.class.getName()).log(System.Logger.Level.WARNING,
                    "experiment " + displayName + ": recovery skipped " + report.skipped() + " damaged slots of "
                        + report.describe());
            }
            events.recovered(report);
            events.retiring();
            old.unmapAndDelete();
            return report;
        } catch (final RuntimeException e) {
            old.unmap();
            throw e;
        }
    }

    // ------------------------------------------------------------------ producers

    /** The point ring, created (and handed to the drainer) on first use. */
    PointRing ring() {
        final PointRing existing = ring;
        if (existing != null) {
            return existing;
        }
        lock.lock();
        try {
            checkOpen();
            if (ring == null) {
                final PointRing created = PointRing.create(file, StoreAccess.fileSystem(options), guard, options.ringCapacity(),
                    catalog.ringEndPosition());
                try {
                    events.created();
                } catch (final RuntimeException e) {
                    created.unmapAndDelete();
                    throw e;
                }
                ring = created;
                drainer.register(this);
            }
            return ring;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Slow path of a claim that returned {@link PointRing#FULL} or {@link PointRing#CLOSED}:
     * helps drain, waits with spin-then-yield, and fails fast when the experiment is closed or
     * the journal cannot be written.
     *
     * @return a claimed position
     */
    long claimSlow(final PointRing r, final long failed) {
        long result = failed;
        int spins = 0;
        while (result < 0) {
            if (result == PointRing.CLOSED) {
                throw closedException();
            }
            if (lock.tryLock()) {
                try {
                    if (!closed && drainLocked(batchPoints) > 0) {
                        producerDrainThread = Thread.currentThread().getId();
                        producerDrains++; // under the lock: no lost update between producers
                    }
                } catch (final StorageFullException e) {
                    throw new StorageFullException("cannot log to " + displayName + ": its ring of " + r.capacity()
                        + " points is full and " + e.getMessage(), e);
                } finally {
                    lock.unlock();
                }
            } else if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            result = r.tryClaim();
        }
        return result;
    }

    // ------------------------------------------------------------------ the background drainer

    /**
     * Called by the {@link Drainer}: drains what it can without waiting for the lock, but only
     * once a batch's worth of points is waiting ({@link #backgroundBatch}) or the first waiting
     * point has waited {@link #MAX_DRAIN_DELAY_NANOS}. Points in the ring are already durable, and
     * reads drain for themselves, so waiting costs nothing but lets the drainer sleep instead of
     * spinning over a trickle of points on a core a spinning producer may need.
     */
    int drainInBackground() {
        pace.draining();
        // The ring is touched only under the lock and after checking closed: close unmaps it
        // under the same lock, and the drainer may hold this drain from a list snapshot taken
        // before close deregistered it.
        if (closed || ring == null || !lock.tryLock()) {
            return 0;
        }
        try {
            if (closed) {
                return 0;
            }
            final PointRing r = ring;
            final long h = r.head();
            if (!r.isPublished(h)) {
                waitingSince = 0;
                return 0;
            }
            if (!r.isPublished(h + backgroundBatch - 1)) {
                final long now = options.nanoClock().nanoTime();
                if (waitingSince == 0) {
                    waitingSince = now;
                    return 0;
                }
                if (now - waitingSince < MAX_DRAIN_DELAY_NANOS) {
                    return 0;
                }
            }
            waitingSince = 0;
            int n = 0;
            for (int i = 0; i < 8; i++) {
                final int d = drainLocked(batchPoints);
                if (d == 0) {
                    break;
                }
                n += d;
            }
            return n;
        } catch (final RunlogException e) {
            // Disk full or the like: the points stay in the ring; producers that find it full
            // drain for themselves and get the error.
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Drainer only: whether this ring's producers log faster than the drain keeps up with ({@link ProducerPace}). */
    boolean producersOutpaceTheDrain(final long now) {
        final PointRing r = ring;
        if (r == null) {
            return pace.look(now, false, 0, false, producerDrains);
        }
        final long tail = r.tail(); // fields of the ring object, readable after close too
        return pace.look(now, true, tail, tail - r.head() >= r.capacity() / 2, producerDrains);
    }

    /**
     * Drainer only, after {@link #producersOutpaceTheDrain} said true: the thread that last drained
     * the ring itself, or a negative number of this experiment's own while none did.
     */
    long producerThread() {
        final long thread = producerDrainThread;
        return thread != 0 ? thread : serial;
    }

    // ------------------------------------------------------------------ draining

    /** Lock held: moves one batch of committed points into the journal. */
    private int drainLocked(final int max) {
        final PointRing r = ring;
        if (r == null) {
            return 0;
        }
        final long h = r.head();
        final int n = r.committedRun(h, max);
        if (n == 0) {
            return 0;
        }
        guard.reserve(maxBatchLength(n, n));
        batchWriter.write(r, h, h + n, true, journal, catalog);
        r.advanceHead(h + n);
        events.drained();
        return n;
    }

    /** Lock held: drains every point claimed before the call, waiting for in-flight commits. */
    void drainAllLocked() {
        final PointRing r = ring;
        if (r == null) {
            return;
        }
        final long target = r.tail();
        long deadline = 0;
        while (r.head() < target) {
            if (drainLocked(batchPoints) == 0) {
                // A producer claimed a slot and has not committed it yet: a few instructions away.
                if (deadline == 0) {
                    deadline = options.nanoClock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.closeTimeoutMillis());
                } else if (options.nanoClock().nanoTime() > deadline) {
                    throw new StoreAccessException("experiment " + displayName + ": ring position " + r.head()
                        + " was claimed but not committed within " + options.closeTimeoutMillis() + " ms");
                }
                Thread.onSpinWait();
            }
        }
    }

    // ------------------------------------------------------------------ close

    /**
     * Lock held: seals the ring, drains every point claimed before, unmaps and deletes it. Later
     * claims fail with {@link ClosedException}.
     *
     * @throws RuntimeException if the drain failed (disk full, a stuck producer): the ring file is
     *                          then kept for the next open to recover, and its mapping left to the
     *                          garbage collector rather than unmapped under a stuck producer
     */
    void closeLocked() {
        drainer.deregister(this);
        closed = true;
        final PointRing r = ring;
        if (r != null) {
            r.seal();
            drainAllLocked();
            events.retiring();
            r.unmapAndDelete();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private ClosedException closedException() {
        return new ClosedException("experiment " + displayName + " is closed");
    }
}
