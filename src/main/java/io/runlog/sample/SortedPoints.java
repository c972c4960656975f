package io.runlog.sample;

import java.util.Arrays;

/**
 * Points of one metric, all finite or all non-finite, sorted by their x key and, for equal keys,
 * by arrival (the point's index in the metric's arrival order), on growable primitive columns.
 * The x key is the step or the timestamp, the "other" column the remaining one. Finite points
 * keep x and y as doubles for the samplers (y holds the value itself, so its raw bits are the
 * logged bits); non-finite points keep the raw value bits (NaN payloads included). Internal; not
 * thread-safe.
 */
final class SortedPoints {
    /** Heap bytes per point of capacity: key, other, x, y, arrival (finite) or key, other, bits, arrival. */
    static final int FINITE_POINT_BYTES = 8 + 8 + 8 + 8 + 4;
    static final int NON_FINITE_POINT_BYTES = 8 + 8 + 8 + 4;

    private final boolean finite;
    private long[] key = new long[0];
    private long[] other = new long[0];
    private double[] x = new double[0];
    private double[] y = new double[0];
    private long[] bits = new long[0];
    private int[] arrival = new int[0];
    private int size;

    SortedPoints(final boolean finite) {
        this.finite = finite;
    }

    boolean finite() {
        return finite;
    }

    int size() {
        return size;
    }

    long key(final int i) {
        return key[i];
    }

    long other(final int i) {
        return other[i];
    }

    int arrival(final int i) {
        return arrival[i];
    }

    long valueBits(final int i) {
        return finite ? Double.doubleToRawLongBits(y[i]) : bits[i];
    }

    /** x as a double ({@code (double) key}), finite points only; valid indices {@code [0, size())}. */
    double[] x() {
        return x;
    }

    /** The values, finite points only; valid indices {@code [0, size())}. */
    double[] y() {
        return y;
    }

    /** Heap bytes held by the columns. */
    long bytes() {
        return (long) key.length * (finite ? FINITE_POINT_BYTES : NON_FINITE_POINT_BYTES);
    }

    /** The first index whose key is {@code >= k} (size if none). */
    int lowerBound(final long k) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (key[mid] < k) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose key is {@code > k} (size if none). */
    int upperBound(final long k) {
        return k == Long.MAX_VALUE ? size : lowerBound(k + 1);
    }

    /** How many points of {@code [lo, hi)} sort before the point {@code (k, arrivalIndex)}. */
    int countBefore(final long k, final int arrivalIndex, final int lo, final int hi) {
        int l = lo;
        int h = hi;
        while (l < h) {
            final int mid = (l + h) >>> 1;
            if (key[mid] < k || (key[mid] == k && arrival[mid] < arrivalIndex)) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        return l - lo;
    }

    /**
     * Adds {@code count} points sorted by key, all of which arrived after every point already
     * here, keeping the order stable: an appended point sorts after existing points of equal key.
     * O(count) when the first new key is not below the last key held, one backward merge otherwise.
     */
    void addSorted(final long[] newKey, final long[] newOther, final long[] newBits, final int[] newArrival,
                   final int count) {
        addSorted(newKey, newOther, newBits, newArrival, 0, count);
    }

    /** As {@link #addSorted(long[], long[], long[], int[], int)}; a null {@code newArrival} means {@code arrivalBase + i}. */
    void addSorted(final long[] newKey, final long[] newOther, final long[] newBits, final int[] newArrival,
                   final int arrivalBase, final int count) {
        if (count == 0) {
            return;
        }
        ensureCapacity(size + count);
        if (size == 0 || newKey[0] >= key[size - 1]) {
            appendAfter(newKey, newOther, newBits, newArrival, arrivalBase, count);
            return;
        }
        int i = size - 1;
        int j = count - 1;
        int to = size + count - 1;
        while (j >= 0) {
            if (i >= 0 && key[i] > newKey[j]) {
                move(i--, to--);
            } else {
                put(to--, newKey[j], newOther[j], newBits[j], newArrival == null ? arrivalBase + j : newArrival[j]);
                j--;
            }
        }
        size += count;
    }

    /** The new points all sort after the existing ones: column copies, no merge. */
    private void appendAfter(final long[] newKey, final long[] newOther, final long[] newBits, final int[] newArrival,
                             final int arrivalBase, final int count) {
        final int at = size;
        System.arraycopy(newKey, 0, key, at, count);
        System.arraycopy(newOther, 0, other, at, count);
        if (newArrival != null) {
            System.arraycopy(newArrival, 0, arrival, at, count);
        } else {
            final int[] arr = arrival;
            for (int i = 0; i < count; i++) {
                arr[at + i] = arrivalBase + i;
            }
        }
        if (finite) {
            final double[] xs = x;
            final double[] ys = y;
            for (int i = 0; i < count; i++) {
                xs[at + i] = newKey[i];
                ys[at + i] = Double.longBitsToDouble(newBits[i]);
            }
        } else {
            System.arraycopy(newBits, 0, bits, at, count);
        }
        size += count;
    }

    private void move(final int from, final int to) {
        key[to] = key[from];
        other[to] = other[from];
        arrival[to] = arrival[from];
        if (finite) {
            x[to] = x[from];
            y[to] = y[from];
        } else {
            bits[to] = bits[from];
        }
    }

    private void put(final int at, final long k, final long o, final long valueBits, final int arrivalIndex) {
        key[at] = k;
        other[at] = o;
        arrival[at] = arrivalIndex;
        if (finite) {
            x[at] = k;
            y[at] = Double.longBitsToDouble(valueBits);
        } else {
            bits[at] = valueBits;
        }
    }

    private void ensureCapacity(final int needed) {
        if (needed <= key.length) {
            return;
        }
        final int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, key.length + (key.length >> 1)));
        key = Arrays.copyOf(key, capacity);
        other = Arrays.copyOf(other, capacity);
        arrival = Arrays.copyOf(arrival, capacity);
        if (finite) {
            x = Arrays.copyOf(x, capacity);
            y = Arrays.copyOf(y, capacity);
        } else {
            bits = Arrays.copyOf(bits, capacity);
        }
    }
}
