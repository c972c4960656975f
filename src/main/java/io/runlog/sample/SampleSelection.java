package io.runlog.sample;

import io.runlog.MetricSeries;
import io.runlog.SampleQuery;

/**
 * Turns a {@link SortedMetric} into a sampled series for one query. Internal.
 *
 * <p>The rule (documented in {@code docs/sampling.md}):
 * <ol>
 *   <li>Only points whose x is in {@code [from, to]} take part. If they are at most {@code max},
 *       all of them are returned.</li>
 *   <li>Otherwise the non-finite points (NaN, +Infinity, -Infinity) are grouped into runs: points
 *       of the same class with no finite point between them in x order. Each run is represented
 *       by its first and last point. If that makes more than {@code max / 2} points, they are
 *       thinned to {@code max / 2} evenly by position ({@code E[floor(k * e / (max / 2))]}).</li>
 *   <li>The finite points are sampled with LTTB or MinMaxLTTB to {@code max - e}, where
 *       {@code e} is the number of non-finite points kept (first and last only if that leaves 2).</li>
 *   <li>Both are merged in x order, stable by arrival, with steps, timestamps and value bits
 *       exactly as logged. The result never has more than {@code max} points.</li>
 * </ol>
 */
final class SampleSelection {
    /** Which points of a query's range are present: enough to tell whether a result is still current. */
    record Extent(int finiteFrom, int finiteTo, int nonFiniteFrom, int nonFiniteTo) {
        int finiteCount() {
            return finiteTo - finiteFrom;
        }

        int nonFiniteCount() {
            return nonFiniteTo - nonFiniteFrom;
        }
    }

    private SampleSelection() {
    }

    static Extent extent(final SortedMetric metric, final SampleQuery query) {
        final SortedPoints f = metric.finite();
        final SortedPoints nf = metric.nonFinite();
        return new Extent(f.lowerBound(query.from()), f.upperBound(query.to()),
            nf.lowerBound(query.from()), nf.upperBound(query.to()));
    }

    /** Samples the metric for a query whose maximum is set ({@code >= 3}). */
    static MetricSeries sample(final String name, final SortedMetric metric, final SampleQuery query,
                               final Extent extent, final MinMaxLttb minMax) {
        final int max = query.maxPoints();
        if (max < SampleQuery.MIN_MAX_POINTS) {
            throw new IllegalArgumentException("query without a resolved maximum: " + query);
        }
        final SortedPoints f = metric.finite();
        final SortedPoints nf = metric.nonFinite();
        final int fn = extent.finiteCount();
        final int nn = extent.nonFiniteCount();
        if ((long) fn + nn <= max) {
            return merge(name, metric, all(extent.finiteFrom(), fn), fn, all(extent.nonFiniteFrom(), nn), nn);
        }
        int[] nonFiniteSel = runEnds(f, extent, nf);
        int nonFiniteCount = nonFiniteSel.length;
        final int cap = max / 2;
        if (nonFiniteCount > cap) {
            nonFiniteSel = thin(nonFiniteSel, cap);
            nonFiniteCount = cap;
        }
        final int finiteMax = max - nonFiniteCount;
        final int[] finiteSel;
        final int finiteCount;
        if (fn <= finiteMax) {
            finiteSel = all(extent.finiteFrom(), fn);
            finiteCount = fn;
        } else if (finiteMax >= SampleQuery.MIN_MAX_POINTS) {
            finiteSel = new int[finiteMax];
            finiteCount = query.algorithm() == SampleQuery.Algorithm.LTTB
                ? Lttb.select(f.x(), f.y(), extent.finiteFrom(), fn, finiteMax, finiteSel)
                : minMax.select(f.x(), f.y(), extent.finiteFrom(), fn, finiteMax, finiteSel);
        } else {
            finiteSel = new int[] {extent.finiteFrom(), extent.finiteTo() - 1};
            finiteCount = 2;
        }
        return merge(name, metric, finiteSel, finiteCount, nonFiniteSel, nonFiniteCount);
    }

    private static int[] all(final int from, final int n) {
        final int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i;
        }
        return a;
    }

    /** Positions (in {@code nf}) of the first and last point of every run of non-finite points in range. */
    private static int[] runEnds(final SortedPoints f, final Extent extent, final SortedPoints nf) {
        int[] ends = new int[16];
        int count = 0;
        int runClass = -1;
        int runRank = -1;
        int runLast = -1;
        for (int j = extent.nonFiniteFrom(); j < extent.nonFiniteTo(); j++) {
            final int cls = nonFiniteClass(nf.valueBits(j));
            final int rank = f.countBefore(nf.key(j), nf.arrival(j), extent.finiteFrom(), extent.finiteTo());
            if (cls != runClass || rank != runRank) {
                if (runLast >= 0 && runLast != ends[count - 1]) {
                    ends = grow(ends, count);
                    ends[count++] = runLast;
                }
                ends = grow(ends, count);
                ends[count++] = j;
                runClass = cls;
                runRank = rank;
            }
            runLast = j;
        }
        if (runLast >= 0 && runLast != ends[count - 1]) {
            ends = grow(ends, count);
            ends[count++] = runLast;
        }
        return java.util.Arrays.copyOf(ends, count);
    }

    private static int[] grow(final int[] a, final int count) {
        return count < a.length ? a : java.util.Arrays.copyOf(a, a.length * 2);
    }

    /** 0 for NaN, 1 for +Infinity, 2 for -Infinity. */
    private static int nonFiniteClass(final long bits) {
        if ((bits & 0x000fffffffffffffL) != 0) {
            return 0;
        }
        return bits < 0 ? 2 : 1;
    }

    private static int[] thin(final int[] positions, final int cap) {
        final int[] kept = new int[cap];
        final long e = positions.length;
        for (int k = 0; k < cap; k++) {
            kept[k] = positions[(int) (k * e / cap)];
        }
        return kept;
    }

    /** Merges two ascending position lists by (x, arrival) into a series of steps, timestamps and bits. */
    private static MetricSeries merge(final String name, final SortedMetric metric, final int[] fSel, final int fCount,
                                      final int[] nSel, final int nCount) {
        final SortedPoints f = metric.finite();
        final SortedPoints nf = metric.nonFinite();
        final int size = fCount + nCount;
        final long[] keys = new long[size];
        final long[] others = new long[size];
        final long[] bits = new long[size];
        int i = 0;
        int j = 0;
        for (int k = 0; k < size; k++) {
            final boolean takeFinite;
            if (j == nCount) {
                takeFinite = true;
            } else if (i == fCount) {
                takeFinite = false;
            } else {
                final long fk = f.key(fSel[i]);
                final long nk = nf.key(nSel[j]);
                takeFinite = fk < nk || (fk == nk && f.arrival(fSel[i]) < nf.arrival(nSel[j]));
            }
            final SortedPoints from = takeFinite ? f : nf;
            final int at = takeFinite ? fSel[i++] : nSel[j++];
            keys[k] = from.key(at);
            others[k] = from.other(at);
            bits[k] = from.valueBits(at);
        }
        return metric.axis() == SampleQuery.Axis.STEP
            ? new MetricSeries(name, size, keys, others, bits)
            : new MetricSeries(name, size, others, keys, bits);
    }
}
