package io.runlog.store;

import java.util.Arrays;

/**
 * Where one metric's points are in the journal: a list of (batch record index, byte offset of the
 * metric's run in that record, point count). Reading a metric visits only these records and
 * copies only its runs, so one metric among a hundred costs a hundredth of a full scan.
 * Guarded by the experiment lock.
 */
final class MetricExtents {
    private long[] index = new long[4];
    private int[] offset = new int[4];
    private int[] count = new int[4];
    private int size;
    private long points;

    void add(final long recordIndex, final int runOffset, final int runCount) {
        if (size == index.length) {
            final int n = size * 2;
            index = Arrays.copyOf(index, n);
            offset = Arrays.copyOf(offset, n);
            count = Arrays.copyOf(count, n);
        }
        index[size] = recordIndex;
        offset[size] = runOffset;
        count[size] = runCount;
        size++;
        points += runCount;
    }

    int size() {
        return size;
    }

    long points() {
        return points;
    }

    long recordIndex(final int i) {
        return index[i];
    }

    int runOffset(final int i) {
        return offset[i];
    }

    int runCount(final int i) {
        return count[i];
    }
}
