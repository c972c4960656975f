package io.runlog.sample;

import io.runlog.MetricSeries;
import io.runlog.SampleQuery;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sampled metrics of one store, kept so that a dashboard polling a live experiment stays cheap.
 * Internal; thread-safe.
 *
 * <p>Per (experiment, metric, x axis) it keeps the metric's points sorted by x
 * ({@link SortedMetric}) and the last result of up to {@link #RESULTS_PER_METRIC} queries. A call
 * reads from the store only the points that arrived since the previous call, merges them into the
 * sorted columns and answers:
 * <ul>
 *   <li>with the stored result, if no point arrived in the query's range (the count of points in
 *       range is unchanged, and points are only ever added, so the points are the same);</li>
 *   <li>otherwise by running the selection again over the sorted columns, which is what a fresh
 *       computation on the same points does, minus reading, decoding and sorting them.</li>
 * </ul>
 * LTTB's buckets are a function of the number of points, so a result cannot be patched in place
 * when points arrive; the selection pass, at hundreds of millions of points per second, is the
 * cheap part. Memory is bounded: columns take {@value SortedPoints#FINITE_POINT_BYTES} bytes per
 * finite point of capacity ({@value SortedPoints#NON_FINITE_POINT_BYTES} per non-finite one) and
 * results 24 bytes per point; past {@code maxBytes} the least recently used metrics are dropped,
 * and a metric too large for the budget on its own is sampled without being kept.
 */
public final class SampleCache {
    /** Query results kept per metric and axis (least recently used out). */
    static final int RESULTS_PER_METRIC = 8;
    /** Rough fixed cost of an entry and of a result, on top of their arrays. */
    private static final long ENTRY_OVERHEAD = 512;
    private static final long RESULT_OVERHEAD = 160;

    /** Reads a metric's points from {@code first} (in arrival order) to the end. */
    @FunctionalInterface
    public interface Source {
        MetricSeries readFrom(long first);
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by {@code this}. */
    private long bytes;
    /** Selections computed (not served from a stored result), for tests and monitoring. */
    private final java.util.concurrent.atomic.AtomicLong selections = new java.util.concurrent.atomic.AtomicLong();

    /** @param maxBytes heap budget; 0 keeps nothing (every call samples from a full read) */
    public SampleCache(final long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The sampled series of a metric.
     *
     * @param experiment identifies the experiment within the store (e.g. {@code project/key})
     * @param query      a query whose maximum is set
     */
    public MetricSeries sample(final String experiment, final String metric, final SampleQuery query,
                               final Source source) {
        if (maxBytes == 0) {
            return fresh(metric, query, source);
        }
        final Key key = new Key(experiment, metric, query.axis());
        final Entry entry;
        synchronized (this) {
            entry = entries.computeIfAbsent(key, k -> new Entry(query.axis()));
        }
        final MetricSeries result;
        final long entryBytes;
        synchronized (entry) {
            try {
                entry.metric.append(source.readFrom(entry.metric.consumed()));
            } catch (final RuntimeException e) {
                if (entry.metric.consumed() == 0) {
                    remove(key, entry);
                }
                throw e;
            }
            result = entry.result(metric, query, selections);
            entryBytes = entry.bytes();
        }
        account(key, entry, entryBytes);
        return copy(result);
    }

    /**
     * A copy for the caller (at most the query's maximum of points): a cached result is shared by
     * every later caller, and one that wrote into its arrays must not change what the others get.
     */
    private static MetricSeries copy(final MetricSeries s) {
        final int n = s.size();
        return new MetricSeries(s.name(), n, Arrays.copyOf(s.steps(), n), Arrays.copyOf(s.timestamps(), n),
            Arrays.copyOf(s.valueBitsArray(), n));
    }

    /** Samples from a full read, keeping nothing: what the cache must always agree with. */
    public static MetricSeries fresh(final String metric, final SampleQuery query, final Source source) {
        final SortedMetric sorted = new SortedMetric(query.axis());
        sorted.append(source.readFrom(0));
        return SampleSelection.sample(metric, sorted, query, SampleSelection.extent(sorted, query), new MinMaxLttb());
    }

    /** Heap bytes currently accounted to cached metrics (never above the budget once a call returns). */
    public synchronized long bytes() {
        return bytes;
    }

    /** How many selections were computed rather than served from a stored result. */
    public long selections() {
        return selections.get();
    }

    /** Metrics (per x axis) currently cached. */
    public synchronized int size() {
        return entries.size();
    }

    /** Drops everything. */
    public synchronized void clear() {
        for (final Entry e : entries.values()) {
            e.removed = true;
        }
        entries.clear();
        bytes = 0;
    }

    private synchronized void remove(final Key key, final Entry entry) {
        if (entries.remove(key, entry)) {
            entry.removed = true;
            bytes -= entry.accounted;
        }
    }

    private synchronized void account(final Key key, final Entry entry, final long entryBytes) {
        if (entry.removed) {
            return;
        }
        if (entryBytes > maxBytes) {
            // too large to keep: drop it alone, never the other metrics it would push out
            remove(key, entry);
            return;
        }
        bytes += entryBytes - entry.accounted;
        entry.accounted = entryBytes;
        final Iterator<Map.Entry<Key, Entry>> lru = entries.entrySet().iterator();
        while (bytes > maxBytes && lru.hasNext()) {
            final Entry victim = lru.next().getValue();
            lru.remove();
            victim.removed = true;
            bytes -= victim.accounted;
        }
    }

    private record Key(String experiment, String metric, SampleQuery.Axis axis) {
        Key {
            Objects.requireNonNull(experiment);
            Objects.requireNonNull(metric);
        }
    }

    private record Result(long consumedAt, SampleSelection.Extent extent, MetricSeries series) {
        long bytes() {
            return RESULT_OVERHEAD + 24L * series.size();
        }
    }

    private static final class Entry {
        final SortedMetric metric;
        final LinkedHashMap<SampleQuery, Result> results = new LinkedHashMap<>(16, 0.75f, true);
        /** MinMaxLTTB's scratch arrays, reused by every query of this metric (under the entry's lock). */
        final MinMaxLttb minMax = new MinMaxLttb();
        /** Guarded by the cache. */
        long accounted;
        /** Guarded by the cache. */
        boolean removed;

        Entry(final SampleQuery.Axis axis) {
            metric = new SortedMetric(axis);
        }

        MetricSeries result(final String name, final SampleQuery query, final java.util.concurrent.atomic.AtomicLong selections) {
            final Result last = results.get(query);
            final long consumed = metric.consumed();
            if (last != null && last.consumedAt == consumed) {
                return last.series;
            }
            final SampleSelection.Extent extent = SampleSelection.extent(metric, query);
            if (last != null && last.extent.finiteCount() == extent.finiteCount()
                && last.extent.nonFiniteCount() == extent.nonFiniteCount()) {
                results.put(query, new Result(consumed, extent, last.series));
                return last.series;
            }
            final MetricSeries series = SampleSelection.sample(name, metric, query, extent, minMax);
            selections.incrementAndGet();
            results.put(query, new Result(consumed, extent, series));
            if (results.size() > RESULTS_PER_METRIC) {
                final Iterator<SampleQuery> oldest = results.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            return series;
        }

        long bytes() {
            long b = ENTRY_OVERHEAD + metric.bytes() + minMax.scratchBytes();
            for (final Result r : results.values()) {
                b += r.bytes();
            }
            return b;
        }
    }
}
