package io.runlog.sample;

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013), selecting exactly the indices of the
 * reference implementation (the {@code flot-downsample} plugin) on primitive arrays. Internal.
 *
 * <p>For {@code n} points and {@code max >= 3}: {@code n <= max} selects every point. Otherwise
 * the first and last points are kept, {@code every = (n - 2) / (max - 2)} (a double), and bucket
 * {@code i} ({@code 0 <= i < max - 2}) covers local indices
 * {@code [floor(i * every) + 1, floor((i + 1) * every) + 1)}. The selected point of bucket
 * {@code i} is the one forming the largest triangle
 * {@code abs((ax - cx) * (by - ay) - (ax - bx) * (cy - ay)) * 0.5} with {@code a}, the point
 * selected in the previous bucket (the first point for bucket 0), and {@code c}, the average x and
 * average y of the next bucket, {@code [floor((i + 1) * every) + 1, min(floor((i + 2) * every) + 1, n))},
 * summed in index order and then divided. The lowest index wins a tie.
 *
 * <p>An area is NaN only when the coordinates overflow (magnitudes near {@code Double.MAX_VALUE});
 * a NaN area never wins, and a bucket where every area is NaN selects its first index (the
 * reference, written in JavaScript, would repeat the previous bucket's point there).
 *
 * <p>Allocates nothing: the caller passes the output array.
 */
public final class Lttb {
    private Lttb() {
    }

    /**
     * Selects points of the sub-array {@code [from, from + n)} of {@code x} and {@code y}.
     *
     * @param out receives the selected indices (absolute, ascending); needs {@code min(n, max)} room
     * @return the number of indices written: {@code min(n, max)}
     * @throws IllegalArgumentException if {@code max < 3} or {@code n < 0}
     */
    public static int select(final double[] x, final double[] y, final int from, final int n, final int max,
                             final int[] out) {
        if (max < 3) {
            throw new IllegalArgumentException("LTTB needs max >= 3, got " + max);
        }
        if (n < 0) {
            throw new IllegalArgumentException("negative point count " + n);
        }
        if (n <= max) {
            for (int i = 0; i < n; i++) {
                out[i] = from + i;
            }
            return n;
        }
        final int buckets = max - 2;
        final double every = (double) (n - 2) / buckets;
        int a = from;
        out[0] = from;
        int bucketStart = from + 1;
        for (int i = 0; i < buckets; i++) {
            final int bucketEnd = from + (int) ((i + 1) * every) + 1;
            final int nextEnd = from + Math.min((int) ((i + 2) * every) + 1, n);
            double sumX = 0;
            double sumY = 0;
            for (int j = bucketEnd; j < nextEnd; j++) {
                sumX += x[j];
                sumY += y[j];
            }
            final int length = nextEnd - bucketEnd;
            final double cx = sumX / length;
            final double cy = sumY / length;
            final double ax = x[a];
            final double ay = y[a];
            final double dx = ax - cx;
            final double dy = cy - ay;
            double maxArea = -1;
            int chosen = bucketStart;
            for (int j = bucketStart; j < bucketEnd; j++) {
                final double area = Math.abs(dx * (y[j] - ay) - (ax - x[j]) * dy) * 0.5;
                if (area > maxArea) {
                    maxArea = area;
                    chosen = j;
                }
            }
            out[i + 1] = chosen;
            a = chosen;
            bucketStart = bucketEnd;
        }
        out[max - 1] = from + n - 1;
        return max;
    }
}
