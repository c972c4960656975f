package io.runlog;

import io.runlog.internal.JvmDefaults;
import io.runlog.internal.StoreAccess;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.PointRingLayout;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.SystemEpochClock;

import java.util.Objects;

/**
 * How a store is opened. Every setting has a sensible default; setters return {@code this}.
 * {@link RunlogStore#open(java.nio.file.Path, StoreOptions)} takes a copy, so changing an
 * options object later does not affect an open store.
 */
public final class StoreOptions {
    static {
        JvmDefaults.apply();
        StoreAccess.install(new InternalStoreAccess());
    }

    /** Default points per experiment ring: 32,768 slots of 32 bytes, a 1 MiB file. */
    public static final int DEFAULT_RING_CAPACITY = 1 << 15;
    /** Default journal block size: 1 MiB; a single record may use a quarter of it. */
    public static final long DEFAULT_JOURNAL_BLOCK_SIZE = 1L << 20;
    /** Default number of closed-but-cached experiments kept open for fast reuse. */
    public static final int DEFAULT_MAX_IDLE_EXPERIMENTS = 16;
    /** Default free space kept on the disk: writes are refused below it. */
    public static final long DEFAULT_DISK_RESERVE_BYTES = 64L << 20;
    /** Default maximum points of a sampled metric: the product brief's 15,000. */
    public static final int DEFAULT_SAMPLE_MAX_POINTS = 15_000;
    /** Default heap budget of the sampled-metric cache: 64 MiB (1.2M to 1.8M cached points). */
    public static final long DEFAULT_SAMPLE_CACHE_BYTES = 64L << 20;

    private EpochClock clock = SystemEpochClock.INSTANCE;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private int ringCapacity = DEFAULT_RING_CAPACITY;
    private long journalBlockSize = DEFAULT_JOURNAL_BLOCK_SIZE;
    private int maxIdleExperiments = DEFAULT_MAX_IDLE_EXPERIMENTS;
    private long diskReserveBytes = DEFAULT_DISK_RESERVE_BYTES;
    private long closeTimeoutMillis = 10_000;
    private FileSystemFacade fileSystem = FileSystemFacade.DEFAULT;
    private boolean backgroundDrain = true;
    private HardLimits hardLimits = new HardLimits();
    private int sampleMaxPoints = DEFAULT_SAMPLE_MAX_POINTS;
    private long sampleCacheBytes = DEFAULT_SAMPLE_CACHE_BYTES;

    public StoreOptions() {
    }

    private StoreOptions(final StoreOptions o) {
        clock = o.clock;
        nanoClock = o.nanoClock;
        ringCapacity = o.ringCapacity;
        journalBlockSize = o.journalBlockSize;
        maxIdleExperiments = o.maxIdleExperiments;
        diskReserveBytes = o.diskReserveBytes;
        closeTimeoutMillis = o.closeTimeoutMillis;
        fileSystem = o.fileSystem;
        backgroundDrain = o.backgroundDrain;
        hardLimits = o.hardLimits.copy();
        sampleMaxPoints = o.sampleMaxPoints;
        sampleCacheBytes = o.sampleCacheBytes;
    }

    /** An independent copy. */
    public StoreOptions copy() {
        return new StoreOptions(this);
    }

    /** The clock that stamps points logged without a timestamp, and every other record. */
    public StoreOptions clock(final EpochClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public EpochClock clock() {
        return clock;
    }

    /**
     * The clock for intervals: how long close waits for a producer ({@link #closeTimeoutMillis})
     * and how long points wait in a ring before the background drain takes them. Tests inject one.
     */
    public StoreOptions nanoClock(final NanoClock nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        return this;
    }

    public NanoClock nanoClock() {
        return nanoClock;
    }

    /**
     * Points each open experiment can buffer in its memory-mapped ring before the background
     * drainer moves them into the journal: a power of two from 64 to 16,777,216.
     */
    public StoreOptions ringCapacity(final int points) {
        if (Integer.bitCount(points) != 1 || points < PointRingLayout.MIN_SLOTS || points > PointRingLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("ringCapacity must be a power of two from " + PointRingLayout.MIN_SLOTS
                + " to " + PointRingLayout.MAX_SLOTS + ", got " + points);
        }
        this.ringCapacity = points;
        return this;
    }

    public int ringCapacity() {
        return ringCapacity;
    }

    /**
     * Chronicle Queue block size of each journal, 256 KiB to 1 GiB: the mapping granularity, and
     * four times the largest record (parameter, output line, prompt). Fixed when a journal is
     * created.
     */
    public StoreOptions journalBlockSize(final long bytes) {
        if (bytes < (256L << 10) || bytes > (1L << 30)) {
            throw new IllegalArgumentException("journalBlockSize must be from 256 KiB to 1 GiB, got " + bytes);
        }
        this.journalBlockSize = bytes;
        return this;
    }

    public long journalBlockSize() {
        return journalBlockSize;
    }

    /**
     * Experiments no caller holds open that the store keeps open anyway (least recently used
     * first out), so that a server touching many experiments does not reopen them every time.
     * Bounds open files and mappings together with the experiments callers hold.
     */
    public StoreOptions maxIdleExperiments(final int count) {
        if (count < 0) {
            throw new IllegalArgumentException("maxIdleExperiments must be >= 0, got " + count);
        }
        this.maxIdleExperiments = count;
        return this;
    }

    public int maxIdleExperiments() {
        return maxIdleExperiments;
    }

    /** Free disk space below which writes fail with {@link StorageFullException}. */
    public StoreOptions diskReserveBytes(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("diskReserveBytes must be >= 0, got " + bytes);
        }
        this.diskReserveBytes = bytes;
        return this;
    }

    public long diskReserveBytes() {
        return diskReserveBytes;
    }

    /** How long close waits for a producer that claimed a ring slot to commit it. */
    public StoreOptions closeTimeoutMillis(final long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("closeTimeoutMillis must be > 0, got " + millis);
        }
        this.closeTimeoutMillis = millis;
        return this;
    }

    public long closeTimeoutMillis() {
        return closeTimeoutMillis;
    }

    /**
     * Whether a background thread drains rings into journals (default true). When false, points
     * move only when a read, {@code sync()}, close or a full ring drains them: no extra thread,
     * and batch boundaries that depend only on the caller (used by the format golden tests).
     * Durability is the same either way: points are durable once in the ring.
     */
    public StoreOptions backgroundDrain(final boolean enabled) {
        this.backgroundDrain = enabled;
        return this;
    }

    public boolean backgroundDrain() {
        return backgroundDrain;
    }

    /** Hard limits (default: the product brief's); a copy is taken. */
    public StoreOptions hardLimits(final HardLimits limits) {
        this.hardLimits = Objects.requireNonNull(limits, "limits").copy();
        return this;
    }

    public HardLimits hardLimits() {
        return hardLimits;
    }

    /**
     * At most how many points {@link Experiment#sampledMetric(String)} returns when the query sets
     * no maximum (default 15,000); at least 3. See {@code docs/sampling.md}.
     */
    public StoreOptions sampleMaxPoints(final int points) {
        if (points < SampleQuery.MIN_MAX_POINTS) {
            throw new IllegalArgumentException("sampleMaxPoints must be >= " + SampleQuery.MIN_MAX_POINTS + ", got "
                + points);
        }
        this.sampleMaxPoints = points;
        return this;
    }

    public int sampleMaxPoints() {
        return sampleMaxPoints;
    }

    /**
     * Heap the store may keep for sampled metrics (sorted points and recent results, extended as
     * points arrive; least recently used dropped first). 0 turns the cache off: every sampled
     * read then reads and sorts the whole metric. Default 64 MiB.
     */
    public StoreOptions sampleCacheBytes(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("sampleCacheBytes must be >= 0, got " + bytes);
        }
        this.sampleCacheBytes = bytes;
        return this;
    }

    public long sampleCacheBytes() {
        return sampleCacheBytes;
    }

    /**
     * The file-system seam, for fault injection in tests. Not public API: other packages set and
     * read it through {@code internal.StoreAccess}.
     */
    StoreOptions fileSystem(final FileSystemFacade fileSystem) {
        this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
        return this;
    }

    FileSystemFacade fileSystem() {
        return fileSystem;
    }
}
