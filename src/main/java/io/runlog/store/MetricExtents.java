package io.runlog.store;

import java.util.Arrays;

/**
 * Where one metric's points are in the journal: for every POINT_BATCH holding some, the record's
 * journal index, the byte offset of the metric's run in it, its point count, the byte lengths
 * of its step, timestamp and value columns, and how its values are coded. Reading a metric visits only these records and decodes only
 * its runs, so one metric among a hundred costs about a hundredth of a full scan.
 * Guarded by the experiment lock.
 */
final class MetricExtents {
    /** {@link #valueExponent(int)} of a run whose values are XOR-coded. */
    static final int XOR_VALUES = -1;
    /** {@link #valueExponent(int)} of a run whose values are BITS-coded ({@link BitsValue}). */
    static final int BITS_VALUES = -2;
    /** {@link #valueExponent(int)} of a run whose values are FLOAT32-coded ({@link Float32Value}). */
    static final int FLOAT32_VALUES = -3;
    private static final int FIELDS = 6;
    private long[] index = new long[4];
    /** Per extent: run offset, point count, step bytes, timestamp bytes, value bytes, value exponent. */
    private int[] fields = new int[4 * FIELDS];
    private int size;
    private long points;

    void add(final long recordIndex, final int runOffset, final int count, final int stepBytes,
             final int timestampBytes, final int valueBytes, final int valueExponent) {
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
            fields = Arrays.copyOf(fields, size * 2 * FIELDS);
        }
        index[size] = recordIndex;
        final int f = size * FIELDS;
        fields[f] = runOffset;
        fields[f + 1] = count;
        fields[f + 2] = stepBytes;
        fields[f + 3] = timestampBytes;
        fields[f + 4] = valueBytes;
        fields[f + 5] = valueExponent;
        size++;
        points += count;
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
        return fields[i * FIELDS];
    }

    int runCount(final int i) {
        return fields[i * FIELDS + 1];
    }

    int stepBytes(final int i) {
        return fields[i * FIELDS + 2];
    }

    int timestampBytes(final int i) {
        return fields[i * FIELDS + 3];
    }

    int valueBytes(final int i) {
        return fields[i * FIELDS + 4];
    }

    /**
     * The decimal exponent e of the run's values ({@link DecimalValue}: each value is
     * {@code (double) d / 10^e}), {@link #XOR_VALUES} if they are XOR-coded ({@link XorValue}), or
     * {@link #BITS_VALUES} if they are BITS-coded ({@link BitsValue}), or {@link #FLOAT32_VALUES}
     * if they are FLOAT32-coded ({@link Float32Value}).
     */
    int valueExponent(final int i) {
        return fields[i * FIELDS + 5];
    }

    /** Bytes of the run: its three columns. */
    int runLength(final int i) {
        return stepBytes(i) + timestampBytes(i) + valueBytes(i);
    }
}
