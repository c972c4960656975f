package io.runlog.store;

import io.runlog.ClosedException;
import io.runlog.DataType;
import io.runlog.CorruptStoreException;
import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.NotFoundException;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.RunlogException;
import io.runlog.StorageFullException;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.ThrottleWarning;
import net.openhft.chronicle.wire.DocumentContext;
import io.runlog.internal.Names;
import org.agrona.collections.LongArrayList;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.LongConsumer;

import static io.runlog.store.JournalLayout.*;

/**
 * Everything one open experiment owns: its journal, catalog, point ring (created on the first
 * metric) and blobs, and the lock that serialises all of it except the ring's producer side.
 *
 * <p><b>Threading.</b> Metric points go lock-free through the {@link PointRing}. Everything else
 * (cold writes, reads, draining, sync, close) runs under {@link #lock}; the background
 * {@link Drainer} only ever {@code tryLock}s it. Reads first drain the ring, so a reader sees
 * every point acknowledged before its call.
 *
 * <p><b>Crash contract.</b> A point is durable against {@code kill -9} once committed to the
 * mapped ring; a cold record once appended to the mapped journal. On open, points the ring holds
 * beyond the journal's high-water mark are recovered into the journal before anything else.
 */
public final class ExperimentEngine {
    static final String JOURNAL_DIR = "journal";
    static final String RING_FILE = "points.ring";
    static final String BLOB_DIR = "blobs";
    /** Ring positions stay below 2^62: far from overflow (2^62 points at 10^9 a second is 146 years). */
    static final long MAX_RING_POSITION = 1L << 62;

    private final Path dir;
    private final StoreOptions options;
    private final DiskSpaceGuard guard;
    private final Drainer drainer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Journal journal;
    private final ExperimentCatalog catalog = new ExperimentCatalog();
    private final ThrottleBook throttles = new ThrottleBook();
    private final Object importLock = new Object();
    private final RecordEncoder encoder;
    private final PointBatchWriter batchWriter = new PointBatchWriter();
    private final MetricReader metricReader;
    private final BlobStore blobs;
    private final String displayName;
    /** Points per batch record: {@link JournalLayout#MAX_BATCH_POINTS}, or fewer for small blocks. */
    private final int batchPoints;
    /** Longest a committed point waits in the ring before the background drain takes it. */
    static final long MAX_DRAIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
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
    private static final AtomicLong SERIALS = new AtomicLong();
    /** Stands for this experiment's unknown producer thread ({@link #producerThread}): negative, never a thread id. */
    private final long serial = -SERIALS.incrementAndGet();
    private volatile PointRing ring;
    private volatile boolean closed;
    private long recoveredPoints;
    /** Reference count; guarded by the owning {@link ExperimentRegistry}. */
    int references;

    private ExperimentEngine(final Path dir, final ExperimentHeader header, final StoreOptions options,
                             final DiskSpaceGuard guard, final Drainer drainer) {
        this.dir = dir;
        this.options = options;
        this.guard = guard;
        this.drainer = drainer;
        this.displayName = header.project() + "/" + header.key();
        this.blobs = new BlobStore(dir.resolve(BLOB_DIR), options.fileSystem(), guard);
        this.journal = Journal.open(dir.resolve(JOURNAL_DIR), options.journalBlockSize());
        this.metricReader = new MetricReader(journal);
        this.encoder = new RecordEncoder(journal.maxRecordLength());
        this.batchPoints = maxBatchPoints(journal.maxRecordLength());
        this.backgroundBatch = Math.min(1024, options.ringCapacity() / 4);
    }

    /** The most points whose batch (even one run per point) fits in a record of {@code maxRecord} bytes. */
    static int maxBatchPoints(final int maxRecord) {
        return Math.min(MAX_BATCH_POINTS, (maxRecord - PointBatchDescriptor.LENGTH) / (BatchEntryDescriptor.LENGTH + MAX_POINT_BYTES));
    }

    /** Opens (creating the journal if new) and recovers an experiment. */
    static ExperimentEngine open(final Path dir, final ExperimentHeader header, final StoreOptions options,
                                 final DiskSpaceGuard guard, final Drainer drainer) {
        final ExperimentEngine engine = new ExperimentEngine(dir, header, options, guard, drainer);
        try {
            engine.lock.lock();
            try {
                engine.scan();
                if (engine.catalog.header() == null) {
                    ColdRecords.header(engine.encoder, header);
                    guard.reserveNow(engine.encoder.length());
                    engine.journal.append(engine.encoder);
                    engine.catalog.header(header);
                } else if (!engine.catalog.header().key().equals(header.key())) {
                    throw new CorruptStoreException("journal " + engine.journal.dir() + " belongs to experiment '"
                        + engine.catalog.header().key() + "', not '" + header.key() + "'");
                }
                engine.recoverRing();
                engine.blobs.removeStrayTemporaries();
            } finally {
                engine.lock.unlock();
            }
            return engine;
        } catch (final RuntimeException e) {
            engine.journal.close();
            throw e;
        }
    }

    public String displayName() {
        return displayName;
    }

    public ExperimentHeader header() {
        return catalog.header();
    }

    /** Points recovered from a ring left by a process that died; 0 after a clean close. */
    public long recoveredPoints() {
        return recoveredPoints;
    }

    // ------------------------------------------------------------------ open: scan and recovery

    private void scan() {
        CatalogRebuild.scan(journal, catalog, throttles);
    }

    /** Drains a ring left behind by a process that died, then deletes it. */
    private void recoverRing() {
        final Path file = dir.resolve(RING_FILE);
        if (!Files.exists(file)) {
            return;
        }
        final PointRing old = PointRing.openForRecovery(file, options.fileSystem());
        try {
            final long from = catalog.ringEndPosition();
            final long window = from + old.capacity();
            long last = -1;
            for (long p = from; p < window; p++) {
                if (old.isCommitted(p)) {
                    last = p;
                }
            }
            for (long p = from; p <= last; p += batchPoints) {
                final long end = Math.min(p + batchPoints, last + 1);
                guard.reserve(maxBatchLength(batchPoints, batchPoints));
                recoveredPoints += batchWriter.write(old, p, end, false, journal, catalog);
            }
            if (batchWriter.skippedPoints() > 0) {
                System.getLogger(ExperimentEngine.class.getName()).log(System.Logger.Level.WARNING,
                    "experiment " + displayName + ": skipped " + batchWriter.skippedPoints() + " damaged slots of "
                        + file + " (committed tag, undefined metric id)");
            }
            old.unmapAndDelete();
        } catch (final RuntimeException e) {
            old.unmap();
            throw e;
        }
    }

    // ------------------------------------------------------------------ metric hot path support

    /** The id of a metric, defining it (one journal record) the first time. */
    public int metricId(final String name) {
        lock.lock();
        try {
            checkOpen();
            final int known = catalog.metricId(name);
            if (known >= 0) {
                return known;
            }
            final int id = catalog.metricCount();
            final long limit = options.hardLimits().uniqueMetrics();
            if (id >= limit) {
                throw new HardLimitException("uniqueMetrics", limit, id, "metric '" + Names.preview(name) + "'",
                    "experiment " + displayName);
            }
            ColdRecords.metricDefined(encoder, id, name);
            guard.reserveNow(encoder.length());
            journal.append(encoder);
            catalog.defineMetric(id, name);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** The point ring, created on first use. */
    public PointRing ring() {
        final PointRing existing = ring;
        if (existing != null) {
            return existing;
        }
        lock.lock();
        try {
            checkOpen();
            if (ring == null) {
                ring = PointRing.create(dir.resolve(RING_FILE), options.fileSystem(), guard, options.ringCapacity(),
                    catalog.ringEndPosition());
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
    public long claimSlow(final PointRing r, final long failed) {
        long result = failed;
        int spins = 0;
        while (result < 0) {
            if (result == PointRing.CLOSED) {
                throw new ClosedException("experiment " + displayName + " is closed");
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

    /**
     * Called by the {@link Drainer}: drains what it can without waiting for the lock, but only
     * once a batch's worth of points is waiting ({@link #backgroundBatch}) or the first waiting
     * point has waited {@link #MAX_DRAIN_DELAY_NANOS}. Points in the ring are already durable, and
     * reads drain for themselves, so waiting costs nothing but lets the drainer sleep instead of
     * spinning over a trickle of points on a core a spinning producer may need.
     */
    int drainInBackground() {
        pace.draining();
        // The ring is touched only under the lock and after checking closed: close() unmaps it
        // under the same lock, and the drainer may hold this engine from a list snapshot taken
        // before close() deregistered it.
        if (closed || ring == null || !lock.tryLock()) {
            return 0;
        }
        try {
            if (closed) {
                return 0;
            }
            final PointRing r = ring;
            final long h = r.head();
            if (!r.isCommitted(h)) {
                waitingSince = 0;
                return 0;
            }
            if (!r.isCommitted(h + backgroundBatch - 1)) {
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
        return n;
    }

    /** Lock held: drains every point claimed before the call, waiting for in-flight commits. */
    private void drainAllLocked() {
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

    // ------------------------------------------------------------------ cold writes

    public void logParameter(final Parameter p) {
        appendRecord(e -> {
            if (!catalog.hasParameter(p.name())) {
                final long limit = options.hardLimits().uniqueParameters();
                if (catalog.parameterCount() >= limit) {
                    throw new HardLimitException("uniqueParameters", limit, catalog.parameterCount(),
                        "parameter '" + Names.preview(p.name()) + "'", "experiment " + displayName);
                }
            }
            ColdRecords.parameter(e, p);
        }, index -> catalog.addParameter(p));
    }

    public void logOutput(final OutputLine line) {
        appendRecord(e -> ColdRecords.output(e, line), index -> catalog.outputRecords().addLong(index));
    }

    /** Stores the payload as a blob, then the item record. */
    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final byte[] payload, final long timestamp) {
        return logItem(type, name, metadata, () -> blobs.put(payload), timestamp);
    }

    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final InputStream payload, final long timestamp) {
        return logItem(type, name, metadata, () -> blobs.put(payload), timestamp);
    }

    private Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                         final Supplier<BlobStore.Stored> storePayload, final long timestamp) {
        lock.lock();
        try {
            checkOpen();
            checkItemLimit(type, name);
        } finally {
            lock.unlock();
        }
        final BlobStore.Stored stored = storePayload.get(); // outside the lock: payloads may be large
        return appendItem(new Item(type, name, metadata, stored.length(), stored.sha256(), timestamp));
    }

    /**
     * Lock held. Checked before the payload is stored and again before its record is appended:
     * of two threads racing for the last slot, the second fails at the latest there (its payload
     * file may stay behind; it is content-addressed and harmless).
     */
    private void checkItemLimit(final ItemType type, final String name) {
        final long limit = options.hardLimits().items(type);
        final long count = catalog.itemCount(type);
        if (count >= limit) {
            throw new HardLimitException(HardLimits.name(type), limit, count,
                type + " '" + Names.preview(name) + "'", "experiment " + displayName);
        }
    }

    private Item appendItem(final Item item) {
        appendRecord(e -> {
            checkItemLimit(item.type(), item.name());
            ColdRecords.item(e, item);
        }, index -> {
            catalog.itemRecords().addLong(index);
            catalog.countItem(item.type());
        });
        return item;
    }

    public void logPrompt(final Prompt prompt) {
        appendRecord(e -> ColdRecords.prompt(e, prompt), index -> catalog.promptRecords().addLong(index));
    }

    // ------------------------------------------------------------------ throttle warning flag

    /**
     * Raises the warning flag for a throttled submission that carried {@code units} of
     * {@code type} (one THROTTLE_WARNING record, cumulative for the type).
     *
     * @return true if this throttle begins an episode (the listener is to be told)
     */
    public boolean recordThrottle(final DataType type, final long nowMillis, final long units) {
        lock.lock();
        try {
            checkOpen();
            final ThrottleWarning.Throttled next = throttles.afterThrottle(type, nowMillis, units);
            ColdRecords.throttleWarning(encoder, next);
            guard.reserveNow(encoder.length());
            journal.append(encoder);
            return throttles.apply(next, true);
        } finally {
            lock.unlock();
        }
    }

    /** A submission of {@code type} was admitted at {@code nowMillis}: ends that type's open episode, if any. */
    public void throttleAdmitted(final DataType type, final long nowMillis) {
        if (!throttles.episodeOpen(type)) {
            return; // the common case: one volatile read, no lock
        }
        lock.lock();
        try {
            throttles.endEpisode(type, nowMillis);
        } finally {
            lock.unlock();
        }
    }

    public ThrottleWarning throttleWarning() {
        return underLock(c -> throttles.warning());
    }

    /**
     * Merges a flag from elsewhere (an imported archive): per type the earliest first time, the
     * latest last time and the larger of each count, so merging the same flag again changes
     * nothing. Writes a record only for types that change.
     */
    public void mergeThrottleWarning(final ThrottleWarning warning) {
        lock.lock();
        try {
            checkOpen();
            for (final ThrottleWarning.Throttled other : warning.types().values()) {
                final ThrottleWarning.Throttled mine = throttles.get(other.type());
                final ThrottleWarning.Throttled merged = ThrottleBook.merge(mine, other);
                if (merged.equals(mine)) {
                    continue;
                }
                ColdRecords.throttleWarning(encoder, merged);
                guard.reserveNow(encoder.length());
                journal.append(encoder);
                throttles.apply(merged, false);
            }
        } finally {
            lock.unlock();
        }
    }

    private interface Encoding {
        void encode(RecordEncoder encoder);
    }

    /**
     * Under the lock: encodes (validating the length), checks free space, appends, then lets
     * {@code onAppended} update the catalog with the record's journal index.
     */
    private void appendRecord(final Encoding encoding, final LongConsumer onAppended) {
        lock.lock();
        try {
            checkOpen();
            encoding.encode(encoder);
            guard.reserveNow(encoder.length());
            onAppended.accept(journal.append(encoder));
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ reads

    public List<MetricInfo> metrics() {
        return underLockDrained(c -> c.metricInfos());
    }

    public long totalPoints() {
        return underLockDrained(ExperimentCatalog::totalPoints);
    }

    public MetricSeries readMetric(final String name) {
        return readMetric(name, 0);
    }

    /**
     * The points of a metric from the {@code first}-th (in arrival order) to the last; an empty
     * series if {@code first} is at or past the end. Skips whole runs before {@code first}.
     */
    public MetricSeries readMetric(final String name, final long first) {
        if (first < 0) {
            throw new IllegalArgumentException("first point " + first + " is negative");
        }
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            return metricReader.read(name, extents(name), first);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads points {@code [from, from + max)} of a metric (fewer at its end) into the arrays, in
     * arrival order, bit-exact; returns how many. Memory stays bounded however long the metric is
     * (archive export reads a metric block by block this way).
     *
     * @throws NotFoundException if the metric is unknown
     */
    public int readPoints(final String name, final long from, final long[] steps, final long[] timestamps,
                          final long[] values, final int max) {
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            return metricReader.read(name, extents(name), from, steps, timestamps, values, max);
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: a metric's extents. @throws NotFoundException if the metric is unknown */
    private MetricExtents extents(final String name) {
        final int id = catalog.metricId(name);
        if (id < 0) {
            throw new NotFoundException("experiment " + displayName + " has no metric '" + name + "'");
        }
        return catalog.extents(id);
    }

    /** Drains the ring, then takes the length of every stream under one lock hold (for archive export and import). */
    public ExperimentCut cut() {
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            return cutLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #sync()} and {@link #cut()} under one lock hold: the cut covers exactly what the sync
     * made durable, nothing a concurrent writer added after it (an import's high-water mark).
     */
    public ExperimentCut syncAndCut() {
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            journal.force();
            blobs.forceDirectory();
            forceDirectory(options.fileSystem(), dir);
            return cutLocked();
        } finally {
            lock.unlock();
        }
    }

    private ExperimentCut cutLocked() {
        return new ExperimentCut(catalog.metricInfos(), catalog.parameterValueCounts(), catalog.outputRecords().size(),
            catalog.itemRecords().size(), catalog.promptRecords().size());
    }

    /** Serialises archive imports into this experiment (two would both append past the same mark). */
    public Object importLock() {
        return importLock;
    }

    public Map<String, Parameter> parameters() {
        return underLock(ExperimentCatalog::latestParameters);
    }

    public List<Parameter> parameterHistory(final String name) {
        return underLock(c -> c.parameterHistory(name));
    }

    public List<OutputLine> outputLines() {
        return readRecords(ExperimentCatalog::outputRecords, ColdRecords::output);
    }

    public List<Item> items() {
        return readRecords(ExperimentCatalog::itemRecords, ColdRecords::item);
    }

    public long itemCount(final ItemType type) {
        return underLock(c -> c.itemCount(type));
    }

    public List<Prompt> prompts() {
        return readRecords(ExperimentCatalog::promptRecords, ColdRecords::prompt);
    }

    public long outputLineCount() {
        return underLock(c -> (long) c.outputRecords().size());
    }

    public long promptCount() {
        return underLock(c -> (long) c.promptRecords().size());
    }

    public int parameterCount() {
        return underLock(ExperimentCatalog::parameterCount);
    }

    public byte[] readPayload(final Item item) {
        return blobs.read(item.sha256(), item.payloadLength());
    }

    public Path payloadPath(final Item item) {
        return blobs.path(item.sha256());
    }

    private <T> List<T> readRecords(final Function<ExperimentCatalog, LongArrayList> indices,
                                    final Function<RecordDecoder, T> decode) {
        lock.lock();
        try {
            checkOpen();
            final LongArrayList list = indices.apply(catalog);
            final List<T> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                try (DocumentContext dc = journal.at(list.getLong(i))) {
                    if (dc == null) {
                        throw new CorruptStoreException("journal " + journal.dir() + " lost record "
                            + Long.toHexString(list.getLong(i)));
                    }
                    final RecordDecoder d = journal.decoder();
                    d.type();
                    out.add(decode.apply(d));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private <T> T underLock(final Function<ExperimentCatalog, T> read) {
        lock.lock();
        try {
            checkOpen();
            return read.apply(catalog);
        } finally {
            lock.unlock();
        }
    }

    private <T> T underLockDrained(final Function<ExperimentCatalog, T> read) {
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            return read.apply(catalog);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ durability and lifecycle

    /** Drains the ring and forces the journal to the device: durable against an OS crash. */
    public void sync() {
        lock.lock();
        try {
            checkOpen();
            drainAllLocked();
            journal.force();
            blobs.forceDirectory();
            forceDirectory(options.fileSystem(), dir);
        } finally {
            lock.unlock();
        }
    }

    /** The experiment's directory. */
    public Path directory() {
        return dir;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Seals the ring, drains every point claimed before, deletes the ring and closes the
     * journal. Producers calling after this get {@link ClosedException}.
     */
    void close() {
        drainer.deregister(this);
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            final PointRing r = ring;
            RuntimeException failure = null;
            if (r != null) {
                r.seal();
                try {
                    drainAllLocked();
                    r.unmapAndDelete();
                } catch (final RuntimeException e) {
                    // Disk full or a stuck producer: keep the ring file, which the next open
                    // recovers, and leave the mapping to the garbage collector rather than risk
                    // unmapping memory a stuck producer may still write.
                    failure = e;
                }
            }
            journal.close();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    static void forceDirectory(final FileSystemFacade fs, final Path directory) {
        try {
            fs.forceDirectory(directory);
        } catch (final java.io.IOException e) {
            throw new StoreAccessException("cannot sync directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("experiment " + displayName + " is closed");
        }
    }
}
