package io.runlog.store;

import io.runlog.codec.ValueMode;
import org.agrona.UnsafeApi;

import java.util.Arrays;

/**
 * The layout of one POINT_BATCH record as {@link PointBatchWriter} writes it (format 6,
 * {@link PointBatchDescriptor}, {@link BatchEntryDescriptor}): each run's metric, counts, column
 * lengths and codings, where each run starts, the header and directory, and the CRC32Cs (one per
 * run, then the directory's). The writer fills one run after another ({@link #run}), asks for the
 * record's length ({@link #layout}), writes the columns at {@link #runOffset} and then
 * {@link #seal seals} the record; after it is published, {@link #index} tells the catalog.
 *
 * <p>Reuses its arrays: a steady drain allocates nothing. Not thread-safe: used under the
 * experiment lock.
 */
final class BatchDirectory {
    private int runs;
    private int[] metricIds = new int[64];
    private int[] counts = new int[64];
    private int[] stepBytes = new int[64];
    private int[] timestampBytes = new int[64];
    private int[] valueBytes = new int[64];
    private int[] valueModes = new int[64];
    private int[] exponents = new int[64];
    private int[] stepCodings = new int[64];
    private int[] timestampCodings = new int[64];
    private int[] runOffsets = new int[64];
    private int[] runCrcs = new int[64];
    private int length;

    /** Starts a new record of {@code runs} runs. */
    void reset(final int runs) {
        if (metricIds.length < runs) {
            final int size = Math.max(runs, 2 * metricIds.length);
            metricIds = Arrays.copyOf(metricIds, size);
            counts = Arrays.copyOf(counts, size);
            stepBytes = Arrays.copyOf(stepBytes, size);
            timestampBytes = Arrays.copyOf(timestampBytes, size);
            valueBytes = Arrays.copyOf(valueBytes, size);
            valueModes = Arrays.copyOf(valueModes, size);
            exponents = Arrays.copyOf(exponents, size);
            stepCodings = Arrays.copyOf(stepCodings, size);
            timestampCodings = Arrays.copyOf(timestampCodings, size);
            runOffsets = Arrays.copyOf(runOffsets, size);
            runCrcs = Arrays.copyOf(runCrcs, size);
        }
        this.runs = runs;
    }

    /**
     * Run {@code r}: metric {@code id}'s {@code count} points, its columns' lengths and codings
     * ({@link ColumnCoding} for steps and timestamps, a {@link ValueMode#journalCode} and the
     * DECIMAL exponent, 0 otherwise, for values).
     */
    void run(final int r, final int id, final int count, final int steps, final int stepCoding, final int timestamps,
             final int timestampCoding, final int values, final int valueMode, final int exponent) {
        metricIds[r] = id;
        counts[r] = count;
        stepBytes[r] = steps;
        stepCodings[r] = stepCoding;
        timestampBytes[r] = timestamps;
        timestampCodings[r] = timestampCoding;
        valueBytes[r] = values;
        valueModes[r] = valueMode;
        exponents[r] = exponent;
    }

    /** Places the runs back to back after the directory and its CRC; returns the record's length, trailer excluded. */
    int layout() {
        long at = PointBatchDescriptor.runsOffset(runs, JournalLayout.VERSION);
        for (int r = 0; r < runs; r++) {
            runOffsets[r] = (int) at;
            at += (long) stepBytes[r] + timestampBytes[r] + valueBytes[r];
        }
        length = (int) at;
        return length;
    }

    /** Offset of run {@code r} in the record (after {@link #layout}). */
    int runOffset(final int r) {
        return runOffsets[r];
    }

    int stepBytes(final int r) {
        return stepBytes[r];
    }

    int timestampBytes(final int r) {
        return timestampBytes[r];
    }

    int valueBytes(final int r) {
        return valueBytes[r];
    }

    /** Offset of run {@code r}'s value column in the record. */
    int valueOffset(final int r) {
        return runOffsets[r] + stepBytes[r] + timestampBytes[r];
    }

    /** Writes the header and the directory at {@code target}, run CRCs and directory CRC still 0. */
    void writeHeader(final long target, final long from, final long end, final int points) {
        UnsafeApi.putByte(target + RecordHeaderDescriptor.TYPE_OFFSET, (byte) RecordType.POINT_BATCH.code);
        UnsafeApi.putByte(target + RecordHeaderDescriptor.VERSION_OFFSET, (byte) JournalLayout.VERSION);
        UnsafeApi.putShort(target + PointBatchDescriptor.RESERVED_OFFSET, (short) 0);
        UnsafeApi.putInt(target + PointBatchDescriptor.RUN_COUNT_OFFSET, runs);
        UnsafeApi.putInt(target + PointBatchDescriptor.POINT_COUNT_OFFSET, points);
        UnsafeApi.putInt(target + PointBatchDescriptor.RESERVED_2_OFFSET, 0);
        UnsafeApi.putLong(target + PointBatchDescriptor.FIRST_POSITION_OFFSET, from);
        UnsafeApi.putLong(target + PointBatchDescriptor.END_POSITION_OFFSET, end);
        for (int r = 0; r < runs; r++) {
            final long entry = target + PointBatchDescriptor.entryOffset(r, BatchEntryDescriptor.LENGTH);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.METRIC_ID_OFFSET, metricIds[r]);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.COUNT_OFFSET, counts[r]);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.STEP_BYTES_OFFSET, stepBytes[r]);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET, timestampBytes[r]);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.VALUE_BYTES_OFFSET, valueBytes[r]);
            UnsafeApi.putByte(entry + BatchEntryDescriptor.VALUE_MODE_OFFSET, (byte) valueModes[r]);
            UnsafeApi.putByte(entry + BatchEntryDescriptor.VALUE_EXPONENT_OFFSET, (byte) exponents[r]);
            UnsafeApi.putByte(entry + BatchEntryDescriptor.STEP_CODING_OFFSET, (byte) stepCodings[r]);
            UnsafeApi.putByte(entry + BatchEntryDescriptor.TIMESTAMP_CODING_OFFSET, (byte) timestampCodings[r]);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.RUN_CRC_OFFSET, 0);
            UnsafeApi.putInt(entry + BatchEntryDescriptor.RESERVED_OFFSET, 0);
        }
    }

    /**
     * Once every column is written at {@code target}: each run's CRC32C into its entry, then the
     * directory CRC32C over {@code sequence} and the header and directory. The record's trailer
     * ({@link Journal#seal}) comes after, over all of it.
     */
    void seal(final long target, final RecordChecksum checksum, final long sequence) {
        for (int r = 0; r < runs; r++) {
            final int crc = checksum.plain(target + runOffsets[r], stepBytes[r] + timestampBytes[r] + valueBytes[r]);
            runCrcs[r] = crc;
            UnsafeApi.putInt(target + PointBatchDescriptor.entryOffset(r, BatchEntryDescriptor.LENGTH)
                + BatchEntryDescriptor.RUN_CRC_OFFSET, crc);
        }
        final long crcAt = PointBatchDescriptor.directoryCrcOffset(runs);
        UnsafeApi.putInt(target + crcAt, checksum.of(sequence, target, (int) crcAt));
    }

    /** Tells the catalog where every run of the record published at journal {@code index} is. */
    void index(final long index, final ExperimentCatalog catalog) {
        for (int r = 0; r < runs; r++) {
            catalog.extents(metricIds[r]).add(index, runOffsets[r], counts[r], stepBytes[r], timestampBytes[r],
                valueBytes[r], valueModes[r], exponents[r], stepCodings[r], timestampCodings[r], runCrcs[r], true);
        }
    }
}
