package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.NotFoundException;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.LongArrayList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The reads of one open experiment ({@link ExperimentEngine} delegates to it): metrics through
 * {@link MetricReader}, cold records through the catalog's indices, payloads through
 * {@link BlobStore}, each under the experiment's lock. Before a read the engine refreshes
 * ({@link ExperimentEngine#refreshLocked}): a writable experiment drains its ring, so a read sees
 * every point acknowledged before it; a read-only one indexes what its writer appended since.
 * Reads of the catalog alone (parameters, counts) refresh only when read-only. Owns nothing: the
 * journal, catalog, blobs and lock are the engine's.
 */
final class ExperimentReads {
    private final ExperimentEngine engine;
    private final ReentrantLock lock;
    private final Journal journal;
    private final ExperimentCatalog catalog;
    private final MetricReader metricReader;
    private final BlobStore blobs;
    private final String displayName;

    ExperimentReads(final ExperimentEngine engine, final ReentrantLock lock, final Journal journal,
                    final ExperimentCatalog catalog, final BlobStore blobs, final String displayName) {
        this.engine = engine;
        this.lock = lock;
        this.journal = journal;
        this.catalog = catalog;
        this.metricReader = new MetricReader(journal);
        this.blobs = blobs;
        this.displayName = displayName;
    }


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
            engine.checkOpen();
            engine.refreshLocked();
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
            engine.checkOpen();
            engine.refreshLocked();
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
            engine.checkOpen();
            engine.refreshLocked();
            return cutLocked();
        } finally {
            lock.unlock();
        }
    }

    ExperimentCut cutLocked() {
        return new ExperimentCut(catalog.metricInfos(), catalog.parameterValueCounts(), catalog.outputRecords().size(),
            catalog.itemRecords().size(), catalog.promptRecords().size());
    }

    public Map<String, Parameter> parameters() {
        return underLock(ExperimentCatalog::latestParameters);
    }

    public List<Parameter> parameterHistory(final String name) {
        return underLock(c -> c.parameterHistory(name));
    }

    public List<OutputLine> outputLines() {
        return readRecords(RecordType.OUTPUT_LINE, ExperimentCatalog::outputRecords, ColdRecords::output);
    }

    public List<Item> items() {
        return readRecords(RecordType.ITEM, ExperimentCatalog::itemRecords, ColdRecords::item);
    }

    public long itemCount(final ItemType type) {
        return underLock(c -> c.itemCount(type));
    }

    public List<Prompt> prompts() {
        return readRecords(RecordType.PROMPT, ExperimentCatalog::promptRecords, ColdRecords::prompt);
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

    /** An item's payload as a stream verified while it is read ({@link BlobStore#open}). */
    public java.io.InputStream openPayload(final Item item) {
        return blobs.open(item.sha256(), item.payloadLength());
    }

    public Path payloadPath(final Item item) {
        return blobs.path(item.sha256());
    }

    /** Lock held inside: the records of {@code type} at the catalog's {@code indices}, each checked to be of that type. */
    private <T> List<T> readRecords(final RecordType type, final Function<ExperimentCatalog, LongArrayList> indices,
                                    final Function<RecordDecoder, T> decode) {
        lock.lock();
        try {
            engine.checkOpen();
            if (engine.isReadOnly()) {
                engine.refreshLocked();
            }
            final LongArrayList list = indices.apply(catalog);
            final List<T> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                try (DocumentContext dc = journal.at(list.getLong(i))) {
                    if (dc == null) {
                        throw new CorruptStoreException("journal " + journal.dir() + " lost record "
                            + Long.toHexString(list.getLong(i)));
                    }
                    final RecordDecoder d = journal.decoder();
                    if (d.type() != type) {
                        throw ColdRecords.unexpected(d, d.type());
                    }
                    out.add(decode.apply(d));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    <T> T underLock(final Function<ExperimentCatalog, T> read) {
        lock.lock();
        try {
            engine.checkOpen();
            if (engine.isReadOnly()) {
                engine.refreshLocked();
            }
            return read.apply(catalog);
        } finally {
            lock.unlock();
        }
    }

    private <T> T underLockDrained(final Function<ExperimentCatalog, T> read) {
        lock.lock();
        try {
            engine.checkOpen();
            engine.refreshLocked();
            return read.apply(catalog);
        } finally {
            lock.unlock();
        }
    }
}
