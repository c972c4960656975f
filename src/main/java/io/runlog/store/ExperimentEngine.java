package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.ClosedException;
import io.runlog.CorruptStoreException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.ReadOnlyStoreException;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Everything one open experiment owns: its journal, catalog, blobs, its metric side
 * ({@link RingDrain}: the point ring and its drain) and the lock that serialises all of it except
 * the ring's producer side. This class holds the lifecycle (open, recovery, sync, close) and the
 * manifest's updates; it delegates the cold writes (every record but point batches, through one
 * path: {@link ColdWrites#appendLocked}) and the throttle flag to {@link ColdWrites}, and the reads
 * to {@link ExperimentReads}.
 *
 * <p><b>Threading.</b> Metric points go lock-free through the {@link PointRing}. Everything else
 * (cold writes, reads, draining, sync, close) runs under {@link #lock}; the background
 * {@link Drainer} only ever {@code tryLock}s it. Reads first drain the ring, so a reader sees
 * every point acknowledged before its call.
 *
 * <p><b>Crash contract.</b> A point is durable against {@code kill -9} once committed to the
 * mapped ring; a cold record once appended to the mapped journal. On open, points the ring holds
 * beyond the journal's high-water mark are recovered into the journal before anything else.
 *
 * <p><b>Read-only</b> ({@link #openReadOnly}): the journal is opened read-only, nothing is created,
 * recovered, drained or deleted, every write throws {@link ReadOnlyStoreException}, and every
 * read first indexes the records another process appended since the last read
 * ({@link #refreshLocked}). The ring is never opened: points still in its writer's ring (not yet
 * drained, normally the last millisecond, or everything undrained of a writer that died) are not
 * seen until a read-write open recovers them.
 */
public final class ExperimentEngine {
    /** Ring positions stay below 2^62: far from overflow (2^62 points at 10^9 a second is 146 years). */
    static final long MAX_RING_POSITION = 1L << 62;

    private final Path dir;
    private final StoreOptions options;
    private final DiskSpaceGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    private final Journal journal;
    private final ExperimentCatalog catalog = new ExperimentCatalog();
    private final ThrottleBook throttles = new ThrottleBook();
    private final Object importLock = new Object();
    private final ColdWrites writes;
    private final ExperimentReads reads;
    private final BlobStore blobs;
    private final RingDrain points;
    private final JournalManifest manifest;
    /** Whether the manifest last said a ring is in use (lock held). */
    private boolean ringInUse;
    /** {@link StoreOptions#nanoClock} time of the last periodic manifest update (lock held). */
    private long manifestUpdatedAt;
    /**
     * Between close and sync, the manifest is brought up to date at most this often as records are
     * appended, so that a crashed experiment's journal is known to at most this much before the
     * crash: cut or lost records older than that are refused at open, not silently missing. A
     * write is a small file written and renamed (no fsync), tens of microseconds.
     */
    static final long MANIFEST_UPDATE_NANOS = 100_000_000L;
    private final String displayName;
    private final boolean readOnly;
    private volatile boolean closed;
    private long recoveredPoints;
    /** What recovering the ring left by a process that died found; null if there was none. */
    private RingReport recovery;
    /** Reference count; guarded by the owning {@link ExperimentRegistry}. */
    int references;

    private ExperimentEngine(final Path dir, final ExperimentHeader header, final StoreOptions options,
                             final DiskSpaceGuard guard, final Drainer drainer, final boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.options = options;
        this.guard = guard;
        this.displayName = header.project() + "/" + header.key();
        this.blobs = new BlobStore(StoreLayout.blobDir(dir), StoreAccess.fileSystem(options), guard);
        this.journal = readOnly
            ? Journal.openReadOnly(StoreLayout.journalDir(dir), options.journalBlockSize(), StoreAccess.fileSystem(options))
            : Journal.open(StoreLayout.journalDir(dir), options.journalBlockSize(), StoreAccess.fileSystem(options));
        this.reads = new ExperimentReads(this, lock, journal, catalog, blobs, displayName);
        this.writes = new ColdWrites(this, lock, journal, catalog, throttles, guard, options.hardLimits());
        this.manifest = new JournalManifest(StoreAccess.fileSystem(options), dir);
        this.points = new RingDrain(StoreLayout.ringFile(dir), options, guard, drainer, lock, journal, catalog, displayName,
            new RingDrain.RingEvents() {
                @Override
                public void created() {
                    manifest.write(journal, true, false);
                    ringInUse = true;
                }

                @Override
                public void retiring() {
                    manifest.write(journal, false, false);
                    ringInUse = false;
                }

                @Override
                public void drained() {
                    appendedLocked();
                }

                @Override
                public void recovered(final RingReport report) {
                    // before the ring is deleted: the loss outlives it (an over-count after a crash here, never an under-count)
                    RingLossRecord.add(StoreAccess.fileSystem(options), dir, report);
                }
            });
    }

    /** Opens (creating the journal if new) and recovers an experiment. */
    static ExperimentEngine open(final Path dir, final ExperimentHeader header, final StoreOptions options,
                                 final DiskSpaceGuard guard, final Drainer drainer) {
        final ExperimentEngine engine = new ExperimentEngine(dir, header, options, guard, drainer, false);
        try {
            engine.lock.lock();
            try {
                CatalogRebuild.scan(engine.journal, engine.catalog, engine.throttles);
                final JournalManifest.Content known = engine.manifest.read();
                engine.manifest.check(known, engine.journal, engine.catalog.headerVersion(), StoreLayout.ringFile(dir));
                engine.ringInUse = known != null && known.ringInUse();
                engine.manifestUpdatedAt = options.nanoClock().nanoTime();
                if (known == null) {
                    // a new journal (the manifest comes first, so a format 5 header never lacks one) or one of format 1-4
                    engine.manifest.write(engine.journal, false, false);
                }
                if (engine.catalog.header() == null) {
                    engine.writes.appendLocked(e -> ColdRecords.header(e, header));
                    engine.catalog.headerVersion(JournalLayout.VERSION);
                    engine.catalog.header(header);
                } else if (!engine.catalog.header().key().equals(header.key())) {
                    throw new CorruptStoreException("journal " + engine.journal.dir() + " belongs to experiment '"
                        + engine.catalog.header().key() + "', not '" + header.key() + "'");
                }
                engine.recovery = engine.points.recoverLocked();
                engine.recoveredPoints = engine.recovery == null ? 0
                    : engine.recovery.committed() - engine.recovery.undefinedMetric();
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

    /**
     * Opens an experiment for reading only: indexes its journal as far as it is written now,
     * taking the header from {@code header} while the journal has none yet. Writes nothing. The
     * journal is checked against its manifest as a writable open checks it (a missing, cut or
     * zeroed cycle file, a missing or damaged manifest of a format 5 journal are refused), except
     * for the ring: a live writer may delete its ring at any time (it closed), so a ring the
     * manifest says is in use is not looked for.
     */
    static ExperimentEngine openReadOnly(final Path dir, final ExperimentHeader header, final StoreOptions options,
                                         final DiskSpaceGuard guard, final Drainer drainer) {
        final ExperimentEngine engine = new ExperimentEngine(dir, header, options, guard, drainer, true);
        try {
            engine.lock.lock();
            try {
                // The manifest before the scan: a live writer appends records before it counts them in the
                // manifest, so the journal scanned after holds at least what the manifest read before says.
                final JournalManifest.Content known = engine.manifest.read();
                CatalogRebuild.scan(engine.journal, engine.catalog, engine.throttles);
                engine.manifest.check(known, engine.journal, engine.catalog.headerVersion(), null);
                if (engine.catalog.header() == null) {
                    engine.catalog.header(header);
                } else if (!engine.catalog.header().key().equals(header.key())) {
                    throw new CorruptStoreException("journal " + engine.journal.dir() + " belongs to experiment '"
                        + engine.catalog.header().key() + "', not '" + header.key() + "'");
                }
            } finally {
                engine.lock.unlock();
            }
            return engine;
        } catch (final RuntimeException e) {
            engine.journal.close();
            throw e;
        }
    }

    /** True if opened with {@link #openReadOnly}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** @throws ReadOnlyStoreException if this experiment is open read-only */
    void checkWritable() {
        if (readOnly) {
            throw new ReadOnlyStoreException("experiment " + displayName + " is open read-only; nothing was written");
        }
    }

    /**
     * Lock held, before a read: a writable experiment drains its ring (the read then sees every
     * point acknowledged before it); a read-only one indexes what its writer appended since.
     */
    void refreshLocked() {
        if (readOnly) {
            CatalogRebuild.scanNew(journal, catalog, throttles);
        } else {
            points.drainAllLocked();
        }
    }

    public String displayName() {
        return displayName;
    }

    public ExperimentHeader header() {
        return catalog.header();
    }

    /** What recovering the ring left by a process that died found when this opened; null after a clean close. */
    public RingReport recoveryReport() {
        return recovery;
    }

    /**
     * Ring slots recovery skipped over this experiment's life (torn, damaged, naming an undefined
     * metric; their points are lost), as {@code ring-loss.properties} records them
     * ({@link RingLossRecord}); 0 if none ever was, or since {@code runlog check --repair} moved the
     * record aside.
     *
     * @throws io.runlog.CorruptStoreException if that record is damaged
     */
    public long skippedRingSlots() {
        return RingLossRecord.read(StoreAccess.fileSystem(options), dir).skippedSlots();
    }

    /** Points recovered from a ring left by a process that died; 0 after a clean close. */
    public long recoveredPoints() {
        return recoveredPoints;
    }

    /** The metric side: point ring and drain (for the {@link Drainer} and tests). */
    RingDrain points() {
        return points;
    }

    // ------------------------------------------------------------------ metric hot path support

    /** The id of a metric, defining it (one journal record) the first time. */
    public int metricId(final String name) {
        checkWritable();
        return writes.metricId(name);
    }

    /** The point ring, created on first use. */
    public PointRing ring() {
        checkWritable();
        return points.ring();
    }

    /**
     * Slow path of a claim that returned {@link PointRing#FULL} or {@link PointRing#CLOSED}
     * ({@link RingDrain#claimSlow}).
     *
     * @return a claimed position
     */
    public long claimSlow(final PointRing r, final long failed) {
        return points.claimSlow(r, failed);
    }

    // ------------------------------------------------------------------ cold writes ({@link ColdWrites})

    public void logParameter(final Parameter p) {
        checkWritable();
        writes.logParameter(p);
    }

    public void logOutput(final OutputLine line) {
        checkWritable();
        writes.logOutput(line);
    }

    /** Stores the payload as a blob, then the item record. */
    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final byte[] payload, final long timestamp) {
        checkWritable();
        return writes.logItem(type, name, metadata, () -> blobs.put(payload), timestamp);
    }

    /** Streams the payload into a blob, then writes the item record. */
    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final InputStream payload, final long timestamp) {
        checkWritable();
        return writes.logItem(type, name, metadata, () -> blobs.put(payload), timestamp);
    }

    public void logPrompt(final Prompt prompt) {
        checkWritable();
        writes.logPrompt(prompt);
    }

    /** @return true if this throttle begins an episode ({@link ColdWrites#recordThrottle}) */
    public boolean recordThrottle(final DataType type, final long nowMillis, final long units) {
        if (readOnly) {
            return false; // the flag is its writer's: a gate in front of a read-only experiment records nothing
        }
        return writes.recordThrottle(type, nowMillis, units);
    }

    /** A submission of {@code type} was admitted at {@code nowMillis}: ends that type's open episode, if any. */
    public void throttleAdmitted(final DataType type, final long nowMillis) {
        if (readOnly) {
            return; // nothing is admitted into a read-only experiment (each entry failed), so no episode ends
        }
        writes.throttleAdmitted(type, nowMillis);
    }

    public ThrottleWarning throttleWarning() {
        return reads.underLock(c -> throttles.warning());
    }

    /** Merges a flag from elsewhere, an imported archive ({@link ColdWrites#mergeThrottleWarning}). */
    public void mergeThrottleWarning(final ThrottleWarning warning) {
        checkWritable();
        writes.mergeThrottleWarning(warning);
    }

    // ------------------------------------------------------------------ reads ({@link ExperimentReads})

    public List<MetricInfo> metrics() {
        return reads.metrics();
    }

    public long totalPoints() {
        return reads.totalPoints();
    }

    public MetricSeries readMetric(final String name) {
        return reads.readMetric(name, 0);
    }

    /** {@link ExperimentReads#readMetric(String, long)} */
    public MetricSeries readMetric(final String name, final long first) {
        return reads.readMetric(name, first);
    }

    /** {@link ExperimentReads#readPoints} */
    public int readPoints(final String name, final long from, final long[] steps, final long[] timestamps,
                          final long[] values, final int max) {
        return reads.readPoints(name, from, steps, timestamps, values, max);
    }

    /** {@link ExperimentReads#cut} */
    public ExperimentCut cut() {
        return reads.cut();
    }

    /**
     * {@link #sync()} and {@link #cut()} under one lock hold: the cut covers exactly what the sync
     * made durable, nothing a concurrent writer added after it (an import's high-water mark).
     */
    public ExperimentCut syncAndCut() {
        return synced(reads::cutLocked);
    }

    /** Serialises archive imports into this experiment (two would both append past the same mark). */
    public Object importLock() {
        return importLock;
    }

    public Map<String, Parameter> parameters() {
        return reads.parameters();
    }

    public List<Parameter> parameterHistory(final String name) {
        return reads.parameterHistory(name);
    }

    public List<OutputLine> outputLines() {
        return reads.outputLines();
    }

    public List<Item> items() {
        return reads.items();
    }

    public long itemCount(final ItemType type) {
        return reads.itemCount(type);
    }

    public List<Prompt> prompts() {
        return reads.prompts();
    }

    public long outputLineCount() {
        return reads.outputLineCount();
    }

    public long promptCount() {
        return reads.promptCount();
    }

    public int parameterCount() {
        return reads.parameterCount();
    }

    public byte[] readPayload(final Item item) {
        return reads.readPayload(item);
    }

    /** An item's payload as a stream verified while it is read ({@link BlobStore#open}). */
    public java.io.InputStream openPayload(final Item item) {
        return reads.openPayload(item);
    }

    public Path payloadPath(final Item item) {
        return reads.payloadPath(item);
    }

    // ------------------------------------------------------------------ durability and lifecycle

    /**
     * Lock held, after a record was appended (a drained batch, a cold write): brings the manifest
     * up to date if the last update is {@link #MANIFEST_UPDATE_NANOS} old. A failure to write it
     * fails nothing (the next update, close or sync writes it again).
     */
    void appendedLocked() {
        final long now = options.nanoClock().nanoTime();
        if (now - manifestUpdatedAt < MANIFEST_UPDATE_NANOS) {
            return;
        }
        manifestUpdatedAt = now;
        try {
            manifest.write(journal, ringInUse, false);
        } catch (final StoreAccessException e) {
            // kept as it was; the next update, close or sync retries
        }
    }

    /** Drains the ring and forces the journal to the device: durable against an OS crash. */
    public void sync() {
        synced(() -> null);
    }

    /**
     * The body of {@link #sync()} and {@link #syncAndCut()}: under one lock hold, drains the ring,
     * forces every journal file, the blob directory and the experiment directory to the device,
     * then returns what {@code then} reads (still under the lock).
     */
    private <T> T synced(final Supplier<T> then) {
        checkWritable();
        lock.lock();
        try {
            checkOpen();
            refreshLocked();
            journal.force();
            manifest.write(journal, ringInUse, true);
            blobs.forceDirectory();
            forceDirectory(StoreAccess.fileSystem(options), dir);
            return then.get();
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
     * Seals the ring, drains every point claimed before, deletes the ring ({@link RingDrain#closeLocked})
     * and closes the journal. Producers calling after this get {@link ClosedException}.
     */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            try {
                if (!readOnly) {
                    points.closeLocked();
                    manifest.write(journal, false, false);
                }
            } catch (final RuntimeException e) {
                // Disk full or a stuck producer: the ring file is kept for the next open.
                failure = e;
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

    /** @throws ClosedException once the experiment is closed */
    void checkOpen() {
        if (closed) {
            throw new ClosedException("experiment " + displayName + " is closed");
        }
    }
}
