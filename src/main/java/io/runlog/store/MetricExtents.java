package io.runlog.store;

import io.runlog.codec.ValueMode;

import java.util.Arrays;

/**
 * Where one metric's points are in the journal: for every POINT_BATCH holding some, the record's
 * journal index, the byte offset of the metric's run in it, its point count, the byte lengths
 * of its step, timestamp and value columns, and how its values are coded (a
 * {@link ValueMode#journalCode} and, for DECIMAL, the exponent). Reading a metric visits only
 * these records and decodes only its runs, so one metric among a hundred costs about a
 * hundredth of a full scan. Guarded by the experiment lock.
 */
final class MetricExtents {
    private static final int FIELDS = 11;
    private static final int RUN_OFFSET = 0;
    private static final int COUNT = 1;
    private static final int STEP_BYTES = 2;
    private static final int TIMESTAMP_BYTES = 3;
    private static final int VALUE_BYTES = 4;
    private static final int VALUE_MODE = 5;
    private static final int VALUE_EXPONENT = 6;
    private static final int STEP_CODING = 7;
    private static final int TIMESTAMP_CODING = 8;
    private static final int RUN_CRC = 9;
    /** 1 if the run carries a CRC32C of its own (format 6 on), 0 if only its record's trailer (if any) checks it. */
    private static final int HAS_RUN_CRC = 10;
    private long[] index = new long[4];
    /**
     * Per extent, {@link #FIELDS} ints: run offset, point count, step, timestamp and value bytes,
     * value mode, exponent, step and timestamp codings, run CRC32C and whether there is one.
     */
    private int[] fields = new int[4 * FIELDS];
    private int size;
    private long points;

    /**
     * Adds an extent of a record before format 6: step and timestamp columns
     * {@link ColumnCoding#DELTA_VARINT}, no run CRC. {@code valueMode} is a
     * {@link ValueMode#journalCode}; {@code valueExponent} the exponent of a DECIMAL run, 0 for
     * every other mode.
     */
    void add(final long recordIndex, final int runOffset, final int count, final int stepBytes,
             final int timestampBytes, final int valueBytes, final int valueMode, final int valueExponent) {
        add(recordIndex, runOffset, count, stepBytes, timestampBytes, valueBytes, valueMode, valueExponent,
            ColumnCoding.DELTA_VARINT, ColumnCoding.DELTA_VARINT, 0, false);
    }

    /**
     * Adds an extent. The codings are {@link ColumnCoding} codes; {@code runCrc} is the CRC32C of
     * the run's bytes as its directory entry holds it, if {@code hasRunCrc} (format 6 on): a reader
     * checks the run against it.
     */
    void add(final long recordIndex, final int runOffset, final int count, final int stepBytes,
             final int timestampBytes, final int valueBytes, final int valueMode, final int valueExponent,
             final int stepCoding, final int timestampCoding, final int runCrc, final boolean hasRunCrc) {
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
            fields = Arrays.copyOf(fields, size * 2 * FIELDS);
        }
        index[size] = recordIndex;
        final int f = size * FIELDS;
        fields[f + RUN_OFFSET] = runOffset;
        fields[f + COUNT] = count;
        fields[f + STEP_BYTES] = stepBytes;
        fields[f + TIMESTAMP_BYTES] = timestampBytes;
        fields[f + VALUE_BYTES] = valueBytes;
        fields[f + VALUE_MODE] = valueMode;
        fields[f + VALUE_EXPONENT] = valueExponent;
        fields[f + STEP_CODING] = stepCoding;
        fields[f + TIMESTAMP_CODING] = timestampCoding;
        fields[f + RUN_CRC] = runCrc;
        fields[f + HAS_RUN_CRC] = hasRunCrc ? 1 : 0;
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
        return fields[i * FIELDS + RUN_OFFSET];
    }

    int runCount(final int i) {
        return fields[i * FIELDS + COUNT];
    }

    int stepBytes(final int i) {
        return fields[i * FIELDS + STEP_BYTES];
    }

    int timestampBytes(final int i) {
        return fields[i * FIELDS + TIMESTAMP_BYTES];
    }

    int valueBytes(final int i) {
        return fields[i * FIELDS + VALUE_BYTES];
    }

    /** How the run's values are coded: a {@link ValueMode#journalCode} ({@link ValueMode#JOURNAL_XOR} ...). */
    int valueMode(final int i) {
        return fields[i * FIELDS + VALUE_MODE];
    }

    /** The decimal exponent e of a DECIMAL run (each value is {@code (double) d / 10^e}); 0 for other modes. */
    int valueExponent(final int i) {
        return fields[i * FIELDS + VALUE_EXPONENT];
    }

    /** The step column's {@link ColumnCoding}. */
    int stepCoding(final int i) {
        return fields[i * FIELDS + STEP_CODING];
    }

    /** The timestamp column's {@link ColumnCoding}. */
    int timestampCoding(final int i) {
        return fields[i * FIELDS + TIMESTAMP_CODING];
    }

    /** Whether the run carries a CRC32C of its own ({@link #runCrc}; format 6 on). */
    boolean hasRunCrc(final int i) {
        return fields[i * FIELDS + HAS_RUN_CRC] != 0;
    }

    /** The CRC32C of the run's bytes (if {@link #hasRunCrc}). */
    int runCrc(final int i) {
        return fields[i * FIELDS + RUN_CRC];
    }

    /** Bytes of the run: its three columns. */
    int runLength(final int i) {
        return stepBytes(i) + timestampBytes(i) + valueBytes(i);
    }
}
