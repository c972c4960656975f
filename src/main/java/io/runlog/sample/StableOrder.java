package io.runlog.sample;

/** A stable sort of indices by a long key, for points that arrived out of x order. Internal. */
final class StableOrder {
    private StableOrder() {
    }

    /**
     * The indices {@code [0, n)} ordered by {@code key}, equal keys in index order; {@code null}
     * when the keys are already in order (the common case, checked in one pass).
     */
    static int[] byKey(final long[] key, final int n) {
        boolean sorted = true;
        for (int i = 1; i < n; i++) {
            if (key[i] < key[i - 1]) {
                sorted = false;
                break;
            }
        }
        if (sorted) {
            return null;
        }
        int[] from = new int[n];
        int[] to = new int[n];
        for (int i = 0; i < n; i++) {
            from[i] = i;
        }
        // bottom-up merge sort; merging takes the left run on equal keys, so it is stable
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                final int mid = Math.min(lo + width, n);
                final int hi = Math.min(lo + (width << 1), n);
                int l = lo;
                int r = mid;
                int k = lo;
                while (l < mid && r < hi) {
                    to[k++] = key[from[r]] < key[from[l]] ? from[r++] : from[l++];
                }
                while (l < mid) {
                    to[k++] = from[l++];
                }
                while (r < hi) {
                    to[k++] = from[r++];
                }
            }
            final int[] t = from;
            from = to;
            to = t;
        }
        return from;
    }
}
