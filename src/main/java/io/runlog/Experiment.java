package io.runlog;

import io.runlog.archive.ArchiveExporter;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.Submission;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.GateAccess;
import io.runlog.internal.Names;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.ExperimentHeader;
import io.runlog.store.FileSystemFacade;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open experiment: log metrics (through {@link MetricHandle}s), parameters, output lines,
 * items and prompts, and read them back.
 *
 * <p><b>Contract.</b> Thread-safe. Every write is durable against {@code kill -9} once it returns;
 * {@link #sync()} makes everything written before it durable against an operating-system crash.
 * Reads see every write that returned before the read began. Invalid input throws a typed
 * {@link RunlogException} and leaves the experiment unchanged. After {@link #close()} every
 * method, and every handle obtained from this object, throws {@link ClosedException}.
 *
 * <p>Several {@code Experiment} objects may be open on the same experiment (in one process); they
 * share its files, and each must be closed.
 */
public final class Experiment implements AutoCloseable {
    private final RunlogStore store;
    private final ExperimentEngine engine;
    private final ExperimentHeader header;
    private final EpochClock clock;
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Experiment.class, "closed", boolean.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        GateAccess.install(new GateAccess() {
            @Override
            public ClosedException closedException(final Experiment experiment) {
                return experiment.closedException();
            }

            @Override
            public void write(final Experiment experiment, final Submission.Entry entry) {
                experiment.write(entry);
            }

            @Override
            public void throttleAdmitted(final Experiment experiment, final DataType type, final long nowMillis) {
                experiment.throttleAdmitted(type, nowMillis);
            }

            @Override
            public boolean recordThrottle(final Experiment experiment, final DataType type, final long nowMillis,
                                          final long units) {
                return experiment.recordThrottle(type, nowMillis, units);
            }
        });
    }

    private final ConcurrentHashMap<String, MetricHandle> handles = new ConcurrentHashMap<>();
    /** Read on every metric log call; set once, by CAS, in {@link #close()}. */
    volatile boolean closed;

    Experiment(final RunlogStore store, final ExperimentEngine engine) {
        this.store = store;
        this.engine = engine;
        this.header = engine.header();
        this.clock = store.engine().options().clock();
    }

    public String key() {
        return header.key();
    }

    public String projectName() {
        return header.project();
    }

    public ProjectKind projectKind() {
        return header.kind();
    }

    public boolean isOffline() {
        return header.offline();
    }

    /** Epoch milliseconds of creation. */
    public long createdAt() {
        return header.createdAt();
    }

    // ------------------------------------------------------------------ metrics

    /**
     * The handle of a metric, defining the metric on first use (one journal record). Resolve once,
     * then log through the handle: that is the hot path.
     */
    public MetricHandle metric(final String name) {
        checkOpen();
        final MetricHandle cached = handles.get(name == null ? "" : name);
        if (cached != null) {
            return cached;
        }
        Names.checkName("metric", name);
        return handles.computeIfAbsent(name, n -> new MetricHandle(this, engine, engine.ring(), clock,
            engine.metricId(n), n));
    }

    /** Convenience: logs a point by metric name (a map lookup more than the handle's cost). */
    public void log(final String metric, final long step, final double value) {
        metric(metric).log(step, value);
    }

    /** Convenience: logs a point with a timestamp by metric name. */
    public void log(final String metric, final long step, final long timestamp, final double value) {
        metric(metric).log(step, timestamp, value);
    }

    /** Every metric with its point count, in order of definition. */
    public List<MetricInfo> metrics() {
        checkOpen();
        return engine.metrics();
    }

    /** Total points over all metrics. */
    public long pointCount() {
        checkOpen();
        return engine.totalPoints();
    }

    /** A metric's full series in arrival order, bit-exact. @throws NotFoundException if unknown */
    public MetricSeries readMetric(final String name) {
        checkOpen();
        Names.checkName("metric", name);
        return engine.readMetric(name);
    }

    /**
     * A metric's points from the {@code first}-th (0-based, in arrival order) to the last,
     * bit-exact; an empty series if {@code first} is at or past the end. What a reader that
     * follows a live experiment calls with the count it has already seen (whole earlier runs are
     * skipped, so the cost is that of the new points).
     *
     * @throws NotFoundException if unknown
     * @throws InvalidValueException if {@code first} is negative
     */
    public MetricSeries readMetric(final String name, final long first) {
        checkOpen();
        Names.checkName("metric", name);
        if (first < 0) {
            throw new InvalidValueException("first point " + first + " of metric '" + name + "' is negative");
        }
        return engine.readMetric(name, first);
    }

    /**
     * A metric sampled to at most the store's {@link StoreOptions#sampleMaxPoints} points (15,000 by
     * default) with LTTB on (step, value), in step order; a metric that short is returned whole.
     * @throws NotFoundException if unknown
     */
    public MetricSeries sampledMetric(final String name) {
        return sampledMetric(name, SampleQuery.defaults());
    }

    /**
     * A metric sampled as the query says: at most its maximum of points, keeping the shape (peaks,
     * dips, first and last point), in x order (stable: arrival order for equal x), with steps,
     * timestamps and value bits exactly as logged. Non-finite values follow the rule of
     * {@code docs/sampling.md}. Results are cached per store and extended as points arrive; each
     * call returns its own copy.
     *
     * @throws NotFoundException if unknown
     */
    public MetricSeries sampledMetric(final String name, final SampleQuery query) {
        checkOpen();
        Names.checkName("metric", name);
        if (query == null) {
            throw new InvalidValueException("sample query is null");
        }
        final SampleQuery resolved = query.resolve(store.engine().options().sampleMaxPoints());
        return store.sampleCache().sample(header.project() + "/" + header.key(), name, resolved,
            first -> engine.readMetric(name, first));
    }

    // ------------------------------------------------------------------ parameters

    public void logParameter(final String name, final String value) {
        checkOpen();
        Names.checkName("parameter", name);
        Names.checkText("value of parameter '" + name + "'", value);
        engine.logParameter(new Parameter(name, ParameterType.STRING, value, 0, clock.time()));
    }

    public void logParameter(final String name, final double value) {
        checkOpen();
        Names.checkName("parameter", name);
        engine.logParameter(new Parameter(name, ParameterType.DOUBLE, Double.toString(value),
            Double.doubleToRawLongBits(value), clock.time()));
    }

    public void logParameter(final String name, final long value) {
        checkOpen();
        Names.checkName("parameter", name);
        engine.logParameter(new Parameter(name, ParameterType.LONG, Long.toString(value), value, clock.time()));
    }

    public void logParameter(final String name, final boolean value) {
        checkOpen();
        Names.checkName("parameter", name);
        engine.logParameter(new Parameter(name, ParameterType.BOOLEAN, Boolean.toString(value), value ? 1 : 0,
            clock.time()));
    }

    /** The latest value of every parameter, in order of first logging. */
    public Map<String, Parameter> parameters() {
        checkOpen();
        return engine.parameters();
    }

    /** Every value a parameter took, oldest first (empty if never logged). */
    public List<Parameter> parameterHistory(final String name) {
        checkOpen();
        Names.checkName("parameter", name);
        return engine.parameterHistory(name);
    }

    // ------------------------------------------------------------------ output

    /** Logs one line of captured output (without its line terminator). */
    public void logOutput(final OutputChannel channel, final String line) {
        checkOpen();
        if (channel == null) {
            throw new InvalidValueException("output channel is null");
        }
        Names.checkText("output line", line);
        engine.logOutput(new OutputLine(channel, line, clock.time()));
    }

    public List<OutputLine> outputLines() {
        checkOpen();
        return engine.outputLines();
    }

    /** Output lines logged so far (without reading them). */
    public long outputLineCount() {
        checkOpen();
        return engine.outputLineCount();
    }

    // ------------------------------------------------------------------ items

    /** Logs an item with an in-memory payload. */
    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final byte[] payload) {
        final Map<String, String> meta = checkItem(type, name, metadata);
        if (payload == null) {
            throw new InvalidValueException("payload of item '" + name + "' is null");
        }
        return engine.logItem(type, name, meta, payload, clock.time());
    }

    /** Logs an item whose payload is a file, streamed (any size) into the store. */
    public Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                        final Path payload) {
        final Map<String, String> meta = checkItem(type, name, metadata);
        final FileSystemFacade fs = store.engine().options().fileSystem();
        if (payload == null || !fs.isRegularFile(payload)) {
            throw new InvalidValueException("payload of item '" + name + "' is not a readable file: " + payload);
        }
        try (InputStream in = fs.newInputStream(payload)) {
            return engine.logItem(type, name, meta, in, clock.time());
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read payload " + payload + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> checkItem(final ItemType type, final String name, final Map<String, String> metadata) {
        checkOpen();
        if (type == null) {
            throw new InvalidValueException("item type is null");
        }
        Names.checkName("item", name);
        return Names.checkMetadata(metadata);
    }

    /** Every item, in logging order. */
    public List<Item> items() {
        checkOpen();
        return engine.items();
    }

    /** Items of one type logged so far. */
    public long itemCount(final ItemType type) {
        checkOpen();
        return engine.itemCount(type);
    }

    /**
     * The payload of an item, read whole and checked before it is returned: its length and its
     * SHA-256 must be those of the item.
     *
     * @throws CorruptStoreException naming the payload file if it is missing, cut, longer or damaged
     */
    public byte[] readPayload(final Item item) {
        checkOpen();
        return engine.readPayload(item);
    }

    /**
     * An item's payload as a stream, checked against the item's length and SHA-256 as it is read
     * (not buffered: payloads may be larger than memory). A caller that reads to the end, until
     * {@code read} returns -1, has received exactly the stored bytes, or gets a
     * {@link CorruptStoreException} naming the payload file instead of the end. <b>A caller that
     * stops reading early is not told</b> whether the bytes it was given were intact, since the
     * digest covers the whole payload. The caller closes the stream.
     *
     * @throws CorruptStoreException if the payload file is missing
     */
    public InputStream openPayload(final Item item) {
        checkOpen();
        return engine.openPayload(item);
    }

    /**
     * The file that holds an item's payload (read-only: it is shared by equal payloads). Bytes
     * read through this path bypass Runlog's checks; use {@link #openPayload(Item)} or
     * {@link #readPayload(Item)}, or {@code runlog check}, to have them verified.
     */
    public Path payloadPath(final Item item) {
        checkOpen();
        return engine.payloadPath(item);
    }

    // ------------------------------------------------------------------ prompts

    /** Logs a prompt; only experiments of {@link ProjectKind#LLM} projects take prompts. */
    public void logPrompt(final String prompt, final String response, final Map<String, String> metadata) {
        checkOpen();
        if (header.kind() != ProjectKind.LLM) {
            throw new InvalidValueException("project '" + header.project() + "' is an " + header.kind()
                + " project; prompts go to experiments of LLM projects");
        }
        Names.checkText("prompt", prompt);
        Names.checkText("response", response == null ? "" : response);
        final Prompt p = new Prompt(prompt, response == null ? "" : response, Names.checkMetadata(metadata), clock.time());
        store.engine().reservePrompt(header.project(), prompt);
        boolean written = false;
        try {
            engine.logPrompt(p);
            written = true;
        } finally {
            if (!written) {
                store.engine().releasePrompt(header.project());
            }
        }
    }

    public List<Prompt> prompts() {
        checkOpen();
        return engine.prompts();
    }

    /** Prompts logged to this experiment so far (without reading them). */
    public long promptCount() {
        checkOpen();
        return engine.promptCount();
    }

    // ------------------------------------------------------------------ archive

    /**
     * Exports this experiment to an archive file (docs/format/archive.md): everything logged
     * before the call, as one consistent prefix, also while other threads keep logging. Writes a
     * temporary file in the target's directory, forces it to the device and renames it over
     * {@code file}, so a crash never leaves a partial archive under that name.
     */
    public ExportResult export(final Path file) {
        checkOpen();
        if (file == null) {
            throw new InvalidValueException("archive path is null");
        }
        return ArchiveExporter.export(engine, store.engine().options().fileSystem(), file, clock.time());
    }

    /**
     * Writes an <em>increment</em> (archive 1.2, docs/format/archive.md "INCREMENT"): the
     * entries this experiment holds after {@code from}, as one consistent cut taken when the call
     * begins (also while other threads keep logging), within {@code options}' limits. An importer
     * that holds {@code from} of this experiment's source ends up holding
     * {@link IncrementResult#to()}; one that holds less refuses it
     * ({@link IncrementGapException}), one that holds more skips what it has. The bytes go to
     * {@code out} as they are encoded (the caller owns and closes it; nothing is buffered beyond
     * one block), so a sync client can stream them into an HTTP request.
     *
     * @param from the receiver's mark: {@link HighWaterMark#EMPTY}, or a mark of this
     *             experiment's source ({@link #sourceId()})
     * @throws InvalidValueException if {@code from} is of another source, or counts more of a
     *         stream than this experiment holds
     * @throws StoreAccessException if {@code out} fails (its message names the cause)
     */
    public IncrementResult exportIncrement(final java.io.OutputStream out, final HighWaterMark from,
                                           final IncrementOptions options) {
        checkOpen();
        if (out == null || from == null || options == null) {
            throw new InvalidValueException("exportIncrement needs an output stream, a mark and options (none null)");
        }
        return io.runlog.archive.IncrementExporter.export(engine, store.engine().options().fileSystem(), out, from,
            options, clock.time());
    }

    /**
     * Writes an increment ({@link #exportIncrement(java.io.OutputStream, HighWaterMark, IncrementOptions)})
     * to a file, as {@link #export(Path)} writes an archive: through a temporary file, forced and
     * renamed, so {@code file} holds a complete increment or what it held before.
     */
    public IncrementResult exportIncrement(final Path file, final HighWaterMark from, final IncrementOptions options) {
        checkOpen();
        if (file == null || from == null || options == null) {
            throw new InvalidValueException("exportIncrement needs a path, a mark and options (none null)");
        }
        return io.runlog.archive.IncrementExporter.export(engine, store.engine().options().fileSystem(), file, from,
            options, clock.time());
    }

    /**
     * The identity this experiment's archives and increments carry (32 lower-case hex digits):
     * created on first use (kept in {@code archive-source.id}), the same for ever after; an
     * experiment created by an import has its source's. Importers keep their marks per source id.
     */
    public String sourceId() {
        checkOpen();
        return io.runlog.archive.IncrementExporter.sourceId(engine, store.engine().options().fileSystem());
    }

    // ------------------------------------------------------------------ throttle warning flag

    /**
     * The persistent warning flag: which data types the {@link IngestionGate} throttled for this
     * experiment, when, and how many units ({@link ThrottleWarning#NONE} if never).
     */
    public ThrottleWarning throttleWarning() {
        checkOpen();
        return engine.throttleWarning();
    }

    /** The gate throttled a submission's units of one type: raises the flag; true if an episode begins. */
    boolean recordThrottle(final DataType type, final long nowMillis, final long units) {
        checkOpen();
        return engine.recordThrottle(type, nowMillis, units);
    }

    /** The gate admitted a submission's units of one type: ends that type's throttling episode. */
    void throttleAdmitted(final DataType type, final long nowMillis) {
        engine.throttleAdmitted(type, nowMillis);
    }

    /** Writes one (validated) entry of an admitted submission. */
    void write(final Submission.Entry entry) {
        if (entry instanceof Submission.MetricPoint m) {
            if (m.timestamp() == Submission.CLOCK) {
                log(m.name(), m.step(), m.value());
            } else {
                log(m.name(), m.step(), m.timestamp(), m.value());
            }
        } else if (entry instanceof Submission.ParameterValue p) {
            final Object v = p.value();
            if (v instanceof String text) {
                logParameter(p.name(), text);
            } else if (v instanceof Double d) {
                logParameter(p.name(), d.doubleValue());
            } else if (v instanceof Long l) {
                logParameter(p.name(), l.longValue());
            } else if (v instanceof Boolean b) {
                logParameter(p.name(), b.booleanValue());
            } else {
                throw new InvalidValueException("parameter '" + p.name() + "' has a value of unsupported type "
                    + (v == null ? "null" : v.getClass().getName()));
            }
        } else if (entry instanceof Submission.OutputEntry o) {
            logOutput(o.channel(), o.line());
        } else if (entry instanceof Submission.ItemEntry i) {
            logItem(i.type(), i.name(), i.metadata(), i.payload());
        } else if (entry instanceof Submission.PromptEntry q) {
            logPrompt(q.prompt(), q.response(), q.metadata());
        } else {
            throw new InvalidValueException("unknown submission entry " + entry);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Makes everything logged before this call durable against an operating-system crash. */
    public void sync() {
        checkOpen();
        engine.sync();
    }

    /** The experiment's directory inside the store. */
    public Path directory() {
        return engine.directory();
    }

    /**
     * Points recovered into the journal when this experiment was opened, from a ring a killed
     * process left behind (0 after a clean close).
     */
    public long recoveredPoints() {
        return engine.recoveredPoints();
    }

    /**
     * Slots of rings left behind by killed processes that recovery skipped instead of recovering,
     * over this experiment's life: torn or damaged slots whose check did not hold, and committed
     * slots naming a metric the journal never defined. Their points are lost, and this is how that
     * loss is reported: each recovery that skips slots logs a warning and adds them to the
     * experiment's {@code ring-loss.properties} before the ring is deleted, so the count stays
     * after reopening; {@code runlog check} reports it as damage (exit 1), {@code runlog status}
     * and {@code inspect} show it. The count may over-state (a crash during recovery counts a slot
     * again), never under-state. 0 if no slot was ever skipped (rings of format 1 have no checks),
     * or since {@code runlog check --repair} moved the record aside.
     *
     * @throws io.runlog.CorruptStoreException if the record is damaged
     */
    public long skippedRingSlots() {
        return engine.skippedRingSlots();
    }

    public boolean isClosed() {
        return closed || engine.isClosed();
    }

    /** Releases this object; the experiment's files close when no other object holds them. */
    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        if (!store.isClosed()) {
            store.engine().release(engine);
        }
    }

    ClosedException closedException() {
        return new ClosedException("experiment " + header.project() + "/" + header.key() + " is closed");
    }

    private void checkOpen() {
        if (closed || engine.isClosed()) {
            throw closedException();
        }
    }


    @Override
    public String toString() {
        return "Experiment[" + header.project() + "/" + header.key() + "]";
    }
}
