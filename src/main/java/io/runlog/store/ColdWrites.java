package io.runlog.store;

import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.Names;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The cold writes of one open experiment: every record but point batches (metric definitions,
 * parameters, output lines, items, prompts, the experiment header and the throttle warning flag),
 * each checked against its hard limit, encoded, granted free space and appended through one path,
 * {@link #appendLocked}, under the experiment's lock (shared with its {@link ExperimentEngine}).
 * The catalog is updated only after the append returned, with the record's journal index.
 */
final class ColdWrites {
    private final ExperimentEngine engine;
    private final ReentrantLock lock;
    private final Journal journal;
    private final ExperimentCatalog catalog;
    private final ThrottleBook throttles;
    private final DiskSpaceGuard guard;
    private final HardLimits limits;
    private final RecordEncoder encoder;

    ColdWrites(final ExperimentEngine engine, final ReentrantLock lock, final Journal journal,
               final ExperimentCatalog catalog, final ThrottleBook throttles, final DiskSpaceGuard guard,
               final HardLimits limits) {
        this.engine = engine;
        this.lock = lock;
        this.journal = journal;
        this.catalog = catalog;
        this.throttles = throttles;
        this.guard = guard;
        this.limits = limits;
        this.encoder = new RecordEncoder(journal.maxRecordLength() - RecordTrailerDescriptor.LENGTH); // the trailer included
    }

    /** The id of a metric, defining it (one journal record) the first time. */
    int metricId(final String name) {
        lock.lock();
        try {
            engine.checkOpen();
            final int known = catalog.metricId(name);
            if (known >= 0) {
                return known;
            }
            final int id = catalog.metricCount();
            final long limit = limits.uniqueMetrics();
            if (id >= limit) {
                throw new HardLimitException("uniqueMetrics", limit, id, "metric '" + Names.preview(name) + "'",
                    "experiment " + engine.displayName());
            }
            appendLocked(e -> ColdRecords.metricDefined(e, id, name));
            catalog.defineMetric(id, name);
            return id;
        } finally {
            lock.unlock();
        }
    }

    void logParameter(final Parameter p) {
        appendRecord(e -> {
            if (!catalog.hasParameter(p.name())) {
                final long limit = limits.uniqueParameters();
                if (catalog.parameterCount() >= limit) {
                    throw new HardLimitException("uniqueParameters", limit, catalog.parameterCount(),
                        "parameter '" + Names.preview(p.name()) + "'", "experiment " + engine.displayName());
                }
            }
            ColdRecords.parameter(e, p);
        }, index -> catalog.addParameter(p));
    }

    void logOutput(final OutputLine line) {
        appendRecord(e -> ColdRecords.output(e, line), index -> catalog.outputRecords().addLong(index));
    }

    /**
     * Checks the item limit, stores the payload outside the lock ({@code storePayload}: payloads may
     * be large), then appends the item record.
     */
    Item logItem(final ItemType type, final String name, final Map<String, String> metadata,
                         final Supplier<BlobStore.Stored> storePayload, final long timestamp) {
        lock.lock();
        try {
            engine.checkOpen();
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
        final long limit = limits.items(type);
        final long count = catalog.itemCount(type);
        if (count >= limit) {
            throw new HardLimitException(HardLimits.name(type), limit, count,
                type + " '" + Names.preview(name) + "'", "experiment " + engine.displayName());
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

    void logPrompt(final Prompt prompt) {
        appendRecord(e -> ColdRecords.prompt(e, prompt), index -> catalog.promptRecords().addLong(index));
    }

    // ------------------------------------------------------------------ throttle warning flag

    /**
     * Raises the warning flag for a throttled submission that carried {@code units} of
     * {@code type} (one THROTTLE_WARNING record, cumulative for the type).
     *
     * @return true if this throttle begins an episode (the listener is to be told)
     */
    boolean recordThrottle(final DataType type, final long nowMillis, final long units) {
        lock.lock();
        try {
            engine.checkOpen();
            final ThrottleWarning.Throttled next = throttles.afterThrottle(type, nowMillis, units);
            appendLocked(e -> ColdRecords.throttleWarning(e, next));
            return throttles.apply(next, true);
        } finally {
            lock.unlock();
        }
    }

    /** A submission of {@code type} was admitted at {@code nowMillis}: ends that type's open episode, if any. */
    void throttleAdmitted(final DataType type, final long nowMillis) {
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

    /**
     * Merges a flag from elsewhere (an imported archive): per type the earliest first time, the
     * latest last time and the larger of each count, so merging the same flag again changes
     * nothing. Writes a record only for types that change.
     */
    void mergeThrottleWarning(final ThrottleWarning warning) {
        lock.lock();
        try {
            engine.checkOpen();
            for (final ThrottleWarning.Throttled other : warning.types().values()) {
                final ThrottleWarning.Throttled mine = throttles.get(other.type());
                final ThrottleWarning.Throttled merged = ThrottleBook.merge(mine, other);
                if (merged.equals(mine)) {
                    continue;
                }
                appendLocked(e -> ColdRecords.throttleWarning(e, merged));
                throttles.apply(merged, false);
            }
        } finally {
            lock.unlock();
        }
    }

    interface Encoding {
        void encode(RecordEncoder encoder);
    }

    /**
     * Takes the lock, checks the experiment is open, appends one record ({@link #appendLocked}),
     * then lets {@code onAppended} update the catalog with the record's journal index.
     */
    private void appendRecord(final Encoding encoding, final LongConsumer onAppended) {
        lock.lock();
        try {
            engine.checkOpen();
            onAppended.accept(appendLocked(encoding));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lock held: the one path of every record but point batches. Encodes (validating the length:
     * an encoding that throws leaves the journal untouched), checks free space, appends; returns
     * the record's journal index.
     */
    long appendLocked(final Encoding encoding) {
        encoding.encode(encoder);
        guard.reserveNow(encoder.length());
        final long index = journal.append(encoder);
        engine.appendedLocked();
        return index;
    }
}
