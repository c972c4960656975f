package io.runlog.sample;

/**
 * MinMaxLTTB (Van Der Donckt, Van Der Donckt, Rademaker and Van Hoecke, 2023): a min-max
 * pre-selection that keeps only the extremes of many small buckets, then {@link Lttb} on what it
 * kept. Internal. Not thread-safe: an instance owns reusable scratch arrays.
 *
 * <p>For {@code n} points, {@code max} and the pre-selection ratio {@code r}: when
 * {@code n / max <= r} (integer division) it is plain LTTB. Otherwise the interior points
 * {@code [1, n - 1)} are cut by index into {@code B = max * r / 2} bins, bin {@code b} covering
 * local indices {@code [1 + floor(b * (n - 2) / B), 1 + floor((b + 1) * (n - 2) / B))}; each bin
 * contributes the index of its smallest and of its largest value (the lowest index on ties; one
 * index when they coincide), in index order. The first point, those indices and the last point,
 * about {@code max * r} points, go to LTTB with the same {@code max}, and the result is mapped
 * back to the original indices.
 */
public final class MinMaxLttb {
    /** Pre-selection ratio used by default: four points kept per output point, as in the paper. */
    public static final int DEFAULT_RATIO = 4;

    private final int ratio;
    private int[] kept = new int[0];
    private double[] keptX = new double[0];
    private double[] keptY = new double[0];
    private int[] chosen = new int[0];

    public MinMaxLttb() {
        this(DEFAULT_RATIO);
    }

    /** @param ratio points pre-selected per output point, at least 2 (an even split of min and max) */
    public MinMaxLttb(final int ratio) {
        if (ratio < 2) {
            throw new IllegalArgumentException("MinMaxLTTB ratio must be >= 2, got " + ratio);
        }
        this.ratio = ratio;
    }

    /** Heap bytes held by the reusable scratch arrays. */
    public long scratchBytes() {
        return 4L * kept.length + 8L * keptX.length + 8L * keptY.length + 4L * chosen.length;
    }

    /**
     * Selects points of the sub-array {@code [from, from + n)}.
     *
     * @param out receives the selected indices (absolute, ascending); needs {@code min(n, max)} room
     * @return the number of indices written: {@code min(n, max)}
     * @throws IllegalArgumentException if {@code max < 3} or {@code n < 0}
     */
    public int select(final double[] x, final double[] y, final int from, final int n, final int max, final int[] out) {
        if (max < 3) {
            throw new IllegalArgumentException("MinMaxLTTB needs max >= 3, got " + max);
        }
        if (n < 0) {
            throw new IllegalArgumentException("negative point count " + n);
        }
        if (n / max <= ratio) {
            return Lttb.select(x, y, from, n, max, out);
        }
        final int bins = (int) Math.min((long) max * ratio / 2, n - 2);
        final int m = preselect(y, from, n, bins);
        final int[] k = kept;
        final double[] kx = keptX;
        final double[] ky = keptY;
        for (int i = 0; i < m; i++) {
            kx[i] = x[k[i]];
            ky[i] = y[k[i]];
        }
        final int count = Lttb.select(kx, ky, 0, m, max, chosen);
        final int[] c = chosen;
        for (int i = 0; i < count; i++) {
            out[i] = k[c[i]];
        }
        return count;
    }

    /** Fills {@link #kept} with the first index, every bin's min and max, the last index; returns how many. */
    private int preselect(final double[] y, final int from, final int n, final int bins) {
        ensure(2 * bins + 2);
        final int[] k = kept;
        final long interior = n - 2;
        int m = 0;
        k[m++] = from;
        int start = from + 1;
        for (int b = 0; b < bins; b++) {
            final int end = from + 1 + (int) ((b + 1) * interior / bins);
            final long extremes = extremes(y, start, end);
            final int minAt = (int) (extremes >>> 32);
            final int maxAt = (int) extremes;
            if (minAt < maxAt) {
                k[m++] = minAt;
                k[m++] = maxAt;
            } else if (maxAt < minAt) {
                k[m++] = maxAt;
                k[m++] = minAt;
            } else {
                k[m++] = minAt;
            }
            start = end;
        }
        k[m++] = from + n - 1;
        return m;
    }

    /** The index of the smallest (high 32 bits) and of the largest value (low 32 bits) of {@code [start, end)}, lowest on ties. */
    private static long extremes(final double[] y, final int start, final int end) {
        double min = y[start];
        double max = min;
        int minAt = start;
        int maxAt = start;
        for (int j = start + 1; j < end; j++) {
            final double v = y[j];
            if (v < min) {
                min = v;
                minAt = j;
            } else if (v > max) {
                max = v;
                maxAt = j;
            }
        }
        return ((long) minAt << 32) | (maxAt & 0xffffffffL);
    }

    private void ensure(final int capacity) {
        if (kept.length < capacity) {
            kept = new int[capacity];
            keptX = new double[capacity];
            keptY = new double[capacity];
            chosen = new int[capacity];
        }
    }
}
