package io.runlog.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.UnsafeApi;

import java.util.Arrays;

import static io.runlog.store.JournalLayout.*;

/**
 * Moves committed points from the ring into one POINT_BATCH record, grouped by metric, written in
 * place in the journal's mapped memory (no intermediate copy).
 *
 * <p>Two passes over the slots. The first counts each metric's points and the bytes its three columns
 * will take, so the record's exact length and every run's offset are
 * known before it is opened; the second writes each point into its metric's run, preserving
 * arrival order within a metric. Delta-coded steps and timestamps and compactly coded values keep a
 * typical point at 4 to 9 bytes instead of 24, which matters because writing new pages of a file is
 * the drain's main cost.
 *
 * <p>Values: each run is coded {@link XorValue XOR} or {@link DecimalValue DECIMAL}, whichever is
 * smaller (XOR on a tie). The first pass counts the XOR bytes and hands every value to
 * {@link DecimalRuns}, which settles each run's exponent and digits; between the passes it counts
 * the DECIMAL bytes exactly and picks the coding; the second pass writes the digits it settled.
 *
 * <p>Reuses its scratch arrays, so a steady drain allocates nothing. Not thread-safe: used under
 * the experiment lock.
 */
final class PointBatchWriter {
    // Per metric id, valid for the ids of the current batch only (reset in the finally block).
    private int[] countById = new int[64];
    private int[] runById = new int[64];
    private int[] stepBytesById = new int[64];
    private int[] timestampBytesById = new int[64];
    private int[] valueBytesById = new int[64];
    private long[] lastStepById = new long[64];
    private long[] lastTimestampById = new long[64];
    private long[] lastValueById = new long[64];
    private final DecimalRuns decimals = new DecimalRuns();
    // Per run of the current batch.
    private int[] runIds = new int[64];
    private int[] runOffsets = new int[64];
    private long[] stepCursor = new long[64];
    private long[] timestampCursor = new long[64];
    private long[] valueCursor = new long[64];
    private long[] valueLimit = new long[64];
    /** Raw address of the record being written; every write stays inside its computed length. */
    private long target;
    private int runs;
    /** Points skipped because their slot named an undefined metric (only possible in a damaged ring). */
    private long skippedPoints;

    long skippedPoints() {
        return skippedPoints;
    }

    /**
     * Writes the points at positions {@code [from, end)} (at most {@code maxPoints}) as one record
     * and records their extents in the catalog. With {@code allCommitted} (the live drain, which
     * checked the run first) every position is taken; otherwise (recovery) uncommitted positions
     * are skipped.
     *
     * @return the number of points written (0 writes nothing)
     */
    int write(final PointRing ring, final long from, final long end, final boolean allCommitted,
              final Journal journal, final ExperimentCatalog catalog) {
        final int metricCount = catalog.metricCount();
        ensureIds(metricCount);
        decimals.ensure(metricCount, end - from);
        runs = 0;
        try {
            final int points = measure(ring, from, end, allCommitted, metricCount);
            if (points == 0) {
                return 0;
            }
            decimals.choose(runIds, runs, points, valueBytesById);
            int length = BATCH_HEADER_LENGTH + runs * BATCH_DIRECTORY_ENTRY_LENGTH;
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                runOffsets[r] = length;
                length += stepBytesById[id] + timestampBytesById[id] + valueBytesById[id];
            }
            try (DocumentContext dc = journal.beginInPlace()) {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                bytes.writeSkip(length);
                // Chronicle's appender placed this document so that a quarter block (more than
                // any batch) after its header lies in one mapping: write it through one address.
                target = bytes.addressForWrite(start);
                writeHeader(from, end, points);
                writePoints(ring, from, end, allCommitted, metricCount);
                if (!columnsFilled()) {
                    dc.rollbackOnClose();
                    throw new IllegalStateException("a point batch did not fill its columns as measured");
                }
            }
            final long index = journal.lastIndexAppended();
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                catalog.extents(id).add(index, runOffsets[r], countById[id], stepBytesById[id], timestampBytesById[id],
                    valueBytesById[id], decimals.exponent(id));
            }
            catalog.ringEndPosition(end);
            return points;
        } finally {
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                countById[id] = 0;
                stepBytesById[id] = 0;
                timestampBytesById[id] = 0;
                valueBytesById[id] = 0;
                lastStepById[id] = 0;
                lastTimestampById[id] = 0;
                lastValueById[id] = 0;
                decimals.reset(id);
            }
        }
    }

    /**
     * Pass 1: runs in first-appearance order, points and column bytes per metric (values: the
     * XOR bytes in {@code valueBytesById}; every value also goes to {@link DecimalRuns#take}).
     */
    private int measure(final PointRing ring, final long from, final long end, final boolean allCommitted,
                        final int metricCount) {
        int points = 0;
        for (long p = from; p < end; p++) {
            if (!allCommitted && !ring.isCommitted(p)) {
                continue;
            }
            final long slot = ring.slotAddress(p);
            final int id = UnsafeApi.getInt(slot + PointRingLayout.METRIC_ID_OFFSET);
            if (id < 0 || id >= metricCount) {
                skippedPoints++;
                continue;
            }
            if (countById[id]++ == 0) {
                ensureRuns(runs + 1);
                runById[id] = runs;
                runIds[runs++] = id;
            }
            final long step = UnsafeApi.getLong(slot + PointRingLayout.STEP_OFFSET);
            final long timestamp = UnsafeApi.getLong(slot + PointRingLayout.TIMESTAMP_OFFSET);
            final long value = UnsafeApi.getLong(slot + PointRingLayout.VALUE_OFFSET);
            stepBytesById[id] += VarLong.length(VarLong.zigzag(step - lastStepById[id]));
            timestampBytesById[id] += VarLong.length(VarLong.zigzag(timestamp - lastTimestampById[id]));
            valueBytesById[id] += XorValue.length(value ^ lastValueById[id]);
            lastStepById[id] = step;
            lastTimestampById[id] = timestamp;
            lastValueById[id] = value;
            decimals.take(id, value, points);
            points++;
        }
        return points;
    }

    private void writeHeader(final long from, final long end, final int points) {
        final long out = target;
        UnsafeApi.putByte(out, (byte) RecordType.POINT_BATCH.code);
        UnsafeApi.putByte(out + 1, (byte) VERSION);
        UnsafeApi.putShort(out + 2, (short) 0);
        UnsafeApi.putInt(out + BATCH_RUN_COUNT_OFFSET, runs);
        UnsafeApi.putInt(out + BATCH_POINT_COUNT_OFFSET, points);
        UnsafeApi.putInt(out + 12, 0);
        UnsafeApi.putLong(out + BATCH_FIRST_POSITION_OFFSET, from);
        UnsafeApi.putLong(out + BATCH_END_POSITION_OFFSET, end);
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            final long entry = out + BATCH_HEADER_LENGTH + (long) r * BATCH_DIRECTORY_ENTRY_LENGTH;
            UnsafeApi.putInt(entry + ENTRY_METRIC_ID_OFFSET, id);
            UnsafeApi.putInt(entry + ENTRY_COUNT_OFFSET, countById[id]);
            UnsafeApi.putInt(entry + ENTRY_STEP_BYTES_OFFSET, stepBytesById[id]);
            UnsafeApi.putInt(entry + ENTRY_TIMESTAMP_BYTES_OFFSET, timestampBytesById[id]);
            UnsafeApi.putInt(entry + ENTRY_VALUE_BYTES_OFFSET, valueBytesById[id]);
            final int e = decimals.exponent(id);
            UnsafeApi.putByte(entry + ENTRY_VALUE_MODE_OFFSET, (byte) (e < 0 ? VALUE_MODE_XOR : VALUE_MODE_DECIMAL));
            UnsafeApi.putByte(entry + ENTRY_VALUE_EXPONENT_OFFSET, (byte) Math.max(e, 0));
            UnsafeApi.putShort(entry + ENTRY_RESERVED_OFFSET, (short) 0);
            stepCursor[r] = out + runOffsets[r];
            timestampCursor[r] = stepCursor[r] + stepBytesById[id];
            valueCursor[r] = timestampCursor[r] + timestampBytesById[id];
            valueLimit[r] = valueCursor[r] + valueBytesById[id];
            lastStepById[id] = 0;
            lastTimestampById[id] = 0;
            lastValueById[id] = 0;
        }
    }

    /** Pass 2: every point into its run's three columns (DECIMAL values: the digits pass 1 settled). */
    private void writePoints(final PointRing ring, final long from, final long end, final boolean allCommitted,
                             final int metricCount) {
        final int[] runById = this.runById;
        final DecimalRuns decimals = this.decimals;
        final long[] lastStep = this.lastStepById;
        final long[] lastTimestamp = this.lastTimestampById;
        final long[] lastValue = this.lastValueById;
        final long[] stepCursor = this.stepCursor;
        final long[] timestampCursor = this.timestampCursor;
        final long[] valueCursor = this.valueCursor;
        int k = 0;
        for (long p = from; p < end; p++) {
            if (!allCommitted && !ring.isCommitted(p)) {
                continue;
            }
            final long slot = ring.slotAddress(p);
            final int id = UnsafeApi.getInt(slot + PointRingLayout.METRIC_ID_OFFSET);
            if (id < 0 || id >= metricCount) {
                continue;
            }
            final int r = runById[id];
            final long step = UnsafeApi.getLong(slot + PointRingLayout.STEP_OFFSET);
            final long timestamp = UnsafeApi.getLong(slot + PointRingLayout.TIMESTAMP_OFFSET);
            stepCursor[r] = VarLong.write(stepCursor[r], VarLong.zigzag(step - lastStep[id]));
            timestampCursor[r] = VarLong.write(timestampCursor[r], VarLong.zigzag(timestamp - lastTimestamp[id]));
            lastStep[id] = step;
            lastTimestamp[id] = timestamp;
            if (decimals.exponent(id) >= 0) {
                final long d = decimals.digits(k);
                valueCursor[r] = VarLong.write(valueCursor[r], VarLong.zigzag(d - lastValue[id]));
                lastValue[id] = d;
            } else {
                final long value = UnsafeApi.getLong(slot + PointRingLayout.VALUE_OFFSET);
                valueCursor[r] = XorValue.write(valueCursor[r], value ^ lastValue[id], valueLimit[r]);
                lastValue[id] = value;
            }
            k++;
        }
    }

    /**
     * Every column ended exactly where pass 1 said it would. Pass 2 reads the same committed
     * slots, so this can only fail if a slot changed between the passes (a bug): the record is
     * then rolled back rather than published.
     */
    private boolean columnsFilled() {
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            final long start = target + runOffsets[r];
            if (stepCursor[r] != start + stepBytesById[id]
                || timestampCursor[r] != start + stepBytesById[id] + timestampBytesById[id]
                || valueCursor[r] != valueLimit[r]) {
                return false;
            }
        }
        return true;
    }

    private void ensureIds(final int n) {
        if (countById.length < n) {
            final int size = Math.max(n, countById.length * 2);
            countById = Arrays.copyOf(countById, size);
            runById = Arrays.copyOf(runById, size);
            stepBytesById = Arrays.copyOf(stepBytesById, size);
            timestampBytesById = Arrays.copyOf(timestampBytesById, size);
            valueBytesById = Arrays.copyOf(valueBytesById, size);
            lastStepById = Arrays.copyOf(lastStepById, size);
            lastTimestampById = Arrays.copyOf(lastTimestampById, size);
            lastValueById = Arrays.copyOf(lastValueById, size);
        }
    }

    private void ensureRuns(final int n) {
        if (runIds.length < n) {
            final int size = Math.max(n, runIds.length * 2);
            runIds = Arrays.copyOf(runIds, size);
            runOffsets = Arrays.copyOf(runOffsets, size);
            stepCursor = Arrays.copyOf(stepCursor, size);
            timestampCursor = Arrays.copyOf(timestampCursor, size);
            valueCursor = Arrays.copyOf(valueCursor, size);
            valueLimit = Arrays.copyOf(valueLimit, size);
        }
    }
}
