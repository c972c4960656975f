package io.runlog.sample;

import io.runlog.MetricSeries;
import io.runlog.SampleQuery;

/**
 * A metric's points in x order (stable: arrival order for equal x), split into finite and
 * non-finite values, extended batch by batch as new points arrive. Extending with the points
 * {@code [consumed, n)} gives the same columns as building from all {@code n} points at once.
 * Internal; not thread-safe.
 */
final class SortedMetric {
    private final SampleQuery.Axis axis;
    private final SortedPoints finite = new SortedPoints(true);
    private final SortedPoints nonFinite = new SortedPoints(false);
    private long consumed;

    SortedMetric(final SampleQuery.Axis axis) {
        this.axis = axis;
    }

    SampleQuery.Axis axis() {
        return axis;
    }

    SortedPoints finite() {
        return finite;
    }

    SortedPoints nonFinite() {
        return nonFinite;
    }

    /** Points of the metric (in arrival order) taken in so far. */
    long consumed() {
        return consumed;
    }

    long bytes() {
        return finite.bytes() + nonFinite.bytes();
    }

    /** Takes in the points that arrived after the {@link #consumed()} ones, in arrival order. */
    void append(final MetricSeries tail) {
        final int n = tail.size();
        if (n == 0) {
            return;
        }
        if (consumed + n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a sampled metric holds at most " + (Integer.MAX_VALUE - 16) + " points");
        }
        final long[] keys = axis == SampleQuery.Axis.STEP ? tail.steps() : tail.timestamps();
        final long[] others = axis == SampleQuery.Axis.STEP ? tail.timestamps() : tail.steps();
        final long[] values = tail.valueBitsArray();
        final int[] order = StableOrder.byKey(keys, n);
        int finiteCount = 0;
        for (int i = 0; i < n; i++) {
            if (isFinite(values[i])) {
                finiteCount++;
            }
        }
        final int base = (int) consumed;
        if (order == null && finiteCount == n) {
            // the common case, in order and all finite: straight from the read columns
            finite.addSorted(keys, others, values, null, base, n);
            consumed += n;
            return;
        }
        final Batch f = new Batch(finiteCount);
        final Batch nf = new Batch(n - finiteCount);
        for (int r = 0; r < n; r++) {
            final int i = order == null ? r : order[r];
            (isFinite(values[i]) ? f : nf).add(keys[i], others[i], values[i], base + i);
        }
        finite.addSorted(f.key, f.other, f.bits, f.arrival, f.size);
        nonFinite.addSorted(nf.key, nf.other, nf.bits, nf.arrival, nf.size);
        consumed += n;
    }

    /** True unless the bits are NaN or an infinity (all exponent bits set). */
    static boolean isFinite(final long bits) {
        return (bits & 0x7ff0000000000000L) != 0x7ff0000000000000L;
    }

    private static final class Batch {
        final long[] key;
        final long[] other;
        final long[] bits;
        final int[] arrival;
        int size;

        Batch(final int capacity) {
            key = new long[capacity];
            other = new long[capacity];
            bits = new long[capacity];
            arrival = new int[capacity];
        }

        void add(final long k, final long o, final long b, final int a) {
            key[size] = k;
            other[size] = o;
            bits[size] = b;
            arrival[size] = a;
            size++;
        }
    }
}
