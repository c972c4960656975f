package io.runlog.store;

import io.runlog.codec.BitsCoding;
import io.runlog.codec.DecimalCoding;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.ValueMode;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.UnsafeApi;

import java.util.Arrays;


/**
 * Moves committed points from the ring into one POINT_BATCH record, grouped by metric.
 *
 * <p>Each point is coded once. A first pass over the slots reads only their metric ids: the runs
 * (in first-appearance order) and their point counts, so that every run gets room for its longest
 * possible columns in an off-heap scratch area. The second pass codes every point's step and
 * timestamp into its run's scratch columns, preserving arrival order within a metric, and keeps its
 * value bits; the values are coded as each run's plan says (see {@link #plan}: weighed every way,
 * or only in its metric's predicted mode, in a second small loop when no run of the batch is
 * weighed; DECIMAL in {@link DecimalRuns#takeAll}). The record's exact length is then known; it is opened in place in the journal's mapped memory and the columns are copied
 * into it. Delta-coded steps and timestamps and compactly coded values keep a typical point at 4
 * to 9 bytes instead of 24, which matters because writing new pages of a file is the drain's main
 * cost.
 *
 * <p>Values: each run is coded {@link XorCoding XOR}, {@link DecimalCoding DECIMAL},
 * {@link BitsCoding BITS} or {@link Float32Coding FLOAT32}, whichever is smallest (on a tie, the
 * first in that order). The coding pass writes the XOR column to scratch, counts the BITS bytes
 * and, while every value of the run is a float32, the FLOAT32 bytes, keeps each value's bits, and
 * hands every value to {@link DecimalRuns}, which settles each run's exponent and digits;
 * {@link DecimalRuns#choose} counts the DECIMAL bytes exactly and keeps the shorter of XOR and
 * DECIMAL, then BITS and FLOAT32 replace it where shorter still; DECIMAL, BITS and FLOAT32
 * columns are then written straight into the record, from the settled digits and the kept bits.
 *
 * <p>Reuses its scratch arrays and scratch memory, so a steady drain allocates nothing. Not
 * thread-safe: used under the experiment lock.
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
    /** Per id: the previous difference of the raw bits (BITS coding), and the run's BITS bytes and chosen mode. */
    private long[] lastDifferenceById = new long[64];
    private int[] bitsBytesById = new int[64];
    private int[] valueModeById = new int[64];
    /** Per id: the run's FLOAT32 bytes so far ({@link #OUT} once a value is no float32) and its last float bits. */
    private int[] floatBytesById = new int[64];
    private int[] lastFloatById = new int[64];
    /** Per id, kept across batches: the metric's predicted value mode ({@link ValuePredictions}). */
    private final ValuePredictions predictions;
    /** Per id: this batch's plan ({@link #PLAN_WEIGH} or the mode predicted). */
    private int[] planById = new int[64];
    /** The record's layout: runs, header, directory and CRC32Cs. */
    private final BatchDirectory directory = new BatchDirectory();
    /** Whether some run of the current batch is weighed (then every point goes through the full coding loop). */
    private boolean weighing;
    private final DecimalRuns decimals = new DecimalRuns();
    // Per run of the current batch.
    private int[] runIds = new int[64];
    private int[] runOffsets = new int[64];
    /**
     * A run stops counting its BITS bytes (they are then {@link #OUT}) once they exceed its XOR
     * bytes so far by this much: a noisy or float32 run never comes back, and counting costs the
     * drain a few ns a point.
     */
    private static final int BITS_GIVE_UP_MARGIN = 64;
    /** A run's BITS or FLOAT32 bytes once that coding is out of the running for it (never negative otherwise). */
    private static final int OUT = Integer.MIN_VALUE;
    /** {@link #planById}: code the run every way and keep the shortest (the value modes are the other plans). */
    private static final int PLAN_WEIGH = ValuePredictions.PLAN_WEIGH;
    /** A metric's runs are weighed every way again after this many runs coded in the predicted mode alone. */
    static final int REWEIGH_EVERY = ValuePredictions.REWEIGH_EVERY;
    /** A weighed run of fewer points predicts nothing (its mode may be a tie, and weighing it costs little). */
    static final int MIN_PREDICTING_RUN = ValuePredictions.MIN_PREDICTING_RUN;
    /** {@link #valueBytesById} of a run whose XOR column was not coded (the run was predicted another mode). */
    private static final int NOT_CODED = Integer.MAX_VALUE;
    /** Per point of the batch, in batch order: the raw value bits (for BITS columns, written last). */
    private long[] pointBits = new long[1024];
    /** Off-heap scratch for the coded columns and each run's cursors in it. */
    private final ColumnScratch columns = new ColumnScratch();
    /** Raw address of the record being written; every write stays inside its computed length. */
    private long target;
    private int runs;
    /** Points skipped because their slot named an undefined metric (only possible in a damaged ring). */
    private long skippedPoints;

    /** A writer that weighs a metric's runs again every {@link #REWEIGH_EVERY} runs. */
    PointBatchWriter() {
        this(REWEIGH_EVERY);
    }

    /** @param reweighEvery runs coded in a predicted mode before the next is weighed; 0 weighs every run */
    PointBatchWriter(final int reweighEvery) {
        this.predictions = new ValuePredictions(reweighEvery);
    }

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
        weighing = false;
        try {
            final int points = countRuns(ring, from, end, allCommitted, metricCount);
            if (points == 0) {
                return 0;
            }
            layoutScratch(points);
            code(ring, from, end, allCommitted, metricCount, points);
            decimals.takeAll(pointBits, points);
            decimals.choose(runIds, runs, points, valueBytesById);
            chooseComputed();
            codeXorWhereThePredictionFailed(points);
            directory.reset(runs);
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                directory.run(r, id, countById[id], stepBytesById[id], ColumnCoding.DELTA_VARINT, timestampBytesById[id],
                    ColumnCoding.DELTA_VARINT, valueBytesById[id], valueModeById[id], valueExponent(id));
            }
            final int length = directory.layout();
            for (int r = 0; r < runs; r++) {
                runOffsets[r] = directory.runOffset(r);
            }
            try (DocumentContext dc = journal.beginInPlace()) {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                bytes.writeSkip(length + RecordTrailerDescriptor.LENGTH);
                // Chronicle's appender placed this document so that a quarter block (more than
                // any batch) after its header lies in one mapping: write it through one address.
                target = bytes.addressForWrite(start);
                directory.writeHeader(target, from, end, points);
                copyColumns();
                if (!writeComputedColumns(points)) {
                    dc.rollbackOnClose();
                    throw new IllegalStateException("a point batch did not fill its columns as measured");
                }
                journal.sealBatch(dc, target, length, directory);
            }
            directory.index(journal.lastIndexAppended(), catalog);
            catalog.ringEndPosition(end);
            updatePredictions();
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
                lastDifferenceById[id] = 0;
                bitsBytesById[id] = 0;
                floatBytesById[id] = 0;
                lastFloatById[id] = 0;
                decimals.reset(id);
            }
        }
    }

    /** Pass 1: runs in first-appearance order and their point counts, from the slots' metric ids alone. */
    private int countRuns(final PointRing ring, final long from, final long end, final boolean allCommitted,
                          final int metricCount) {
        int points = 0;
        for (long p = from; p < end; p++) {
            if (!allCommitted && !ring.isCommitted(p)) {
                continue;
            }
            final int id = UnsafeApi.getInt(ring.slotAddress(p) + PointRingLayout.METRIC_ID_OFFSET);
            if (id < 0 || id >= metricCount) {
                skippedPoints++;
                continue;
            }
            if (countById[id]++ == 0) {
                ensureRuns(runs + 1);
                runById[id] = runs;
                runIds[runs++] = id;
                plan(id);
            }
            points++;
        }
        return points;
    }

    /**
     * The plan of metric {@code id}'s run in this batch ({@link ValuePredictions#plan}): weighed,
     * or coded in the predicted mode alone (a decimal run coded only DECIMAL drains about a fifth
     * faster). A prediction that fails falls back to XOR for that run and has the next run weighed.
     */
    private void plan(final int id) {
        final int plan = predictions.plan(id);
        planById[id] = plan;
        weighing |= plan == PLAN_WEIGH;
        bitsBytesById[id] = plan == PLAN_WEIGH || plan == ValueMode.JOURNAL_BITS ? 0 : OUT;
        floatBytesById[id] = plan == PLAN_WEIGH || plan == ValueMode.JOURNAL_FLOAT32 ? 0 : OUT;
        if (plan != PLAN_WEIGH && plan != ValueMode.JOURNAL_DECIMAL) {
            decimals.drop(id);
        }
    }

    /** Room in the scratch memory for every run's longest possible columns; the cursors at their starts. */
    private void layoutScratch(final int points) {
        if (pointBits.length < points) {
            pointBits = new long[Math.max(points, 2 * pointBits.length)];
        }
        columns.layout(points, runs, runIds, countById);
    }

    /**
     * Pass 2: every point's step and timestamp coded once into its run's scratch columns, its
     * value kept and, as each run's plan says, XOR-coded into scratch or its BITS and FLOAT32
     * bytes counted (DECIMAL: {@link DecimalRuns#takeAll}, after the pass); then each run's
     * column lengths. While no run of the batch is weighed (the steady state), the loop over the
     * ring does only steps, timestamps and value bits, and the predicted modes' work runs in a
     * second, small loop over the kept values: a small loop body runs faster than one doing
     * every mode's work behind branches.
     */
    private void code(final PointRing ring, final long from, final long end, final boolean allCommitted,
                      final int metricCount, final int points) {
        if (weighing) {
            codeWeighing(ring, from, end, allCommitted, metricCount);
        } else {
            codeStepsAndTimestamps(ring, from, end, allCommitted, metricCount);
            codePredictedValues(points);
        }
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            stepBytesById[id] = (int) (columns.stepCursor[r] - columns.stepScratch[r]);
            timestampBytesById[id] = (int) (columns.timestampCursor[r] - columns.timestampScratch[r]);
            valueBytesById[id] = planById[id] == PLAN_WEIGH || planById[id] == ValueMode.JOURNAL_XOR
                ? (int) (columns.valueCursor[r] - columns.valueScratch[r]) : NOT_CODED;
        }
    }

    /** No run weighed: steps and timestamps into scratch, value bits kept, nothing else. */
    private void codeStepsAndTimestamps(final PointRing ring, final long from, final long end, final boolean allCommitted,
                                        final int metricCount) {
        final int[] runById = this.runById;
        final DecimalRuns decimals = this.decimals;
        final long[] lastStep = this.lastStepById;
        final long[] lastTimestamp = this.lastTimestampById;
        final long[] stepCursor = columns.stepCursor;
        final long[] timestampCursor = columns.timestampCursor;
        final long[] pointBits = this.pointBits;
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
            stepCursor[r] = VarInt.write(stepCursor[r], VarInt.zigzag(step - lastStep[id]));
            timestampCursor[r] = VarInt.write(timestampCursor[r], VarInt.zigzag(timestamp - lastTimestamp[id]));
            pointBits[k] = UnsafeApi.getLong(slot + PointRingLayout.VALUE_OFFSET);
            lastStep[id] = step;
            lastTimestamp[id] = timestamp;
            decimals.point(k++, id);
        }
    }

    /**
     * No run weighed, after {@link #codeStepsAndTimestamps}: the values of XOR runs into scratch,
     * the bytes of BITS and FLOAT32 runs counted (a FLOAT32 run meeting a value that is no float32
     * is out: its prediction failed). DECIMAL runs need nothing here.
     */
    private void codePredictedValues(final int points) {
        boolean any = false;
        for (int r = 0; r < runs; r++) {
            any |= planById[runIds[r]] != ValueMode.JOURNAL_DECIMAL;
        }
        if (!any) {
            return;
        }
        final int[] runById = this.runById;
        final int[] planById = this.planById;
        final long[] lastValue = this.lastValueById;
        final long[] lastDifference = this.lastDifferenceById;
        final long[] valueCursor = columns.valueCursor;
        final long[] valueLimit = columns.valueLimit;
        final int[] bitsBytes = this.bitsBytesById;
        final int[] floatBytes = this.floatBytesById;
        final int[] lastFloat = this.lastFloatById;
        final long[] pointBits = this.pointBits;
        final DecimalRuns decimals = this.decimals;
        for (int k = 0; k < points; k++) {
            final int id = decimals.pointId(k);
            final int plan = planById[id];
            final long value = pointBits[k];
            if (plan == ValueMode.JOURNAL_XOR) {
                final int r = runById[id];
                valueCursor[r] = XorCoding.write(valueCursor[r], value ^ lastValue[id], valueLimit[r]);
                lastValue[id] = value;
            } else if (plan == ValueMode.JOURNAL_BITS) {
                bitsBytes[id] += VarInt.length(BitsCoding.code(value, lastValue[id], lastDifference[id]));
                lastDifference[id] = value - lastValue[id];
                lastValue[id] = value;
            } else if (plan == ValueMode.JOURNAL_FLOAT32 && floatBytes[id] >= 0) {
                final long f = Float32Coding.floatBits(value);
                if (f == Float32Coding.NOT_FLOAT) {
                    floatBytes[id] = OUT;
                } else {
                    floatBytes[id] += VarInt.length(Float32Coding.code((int) f, lastFloat[id]));
                    lastFloat[id] = (int) f;
                }
            }
        }
    }

    /**
     * Some run weighed: every point through one loop doing every planned mode's work. It repeats
     * {@link #codeStepsAndTimestamps}'s slot reading on purpose: running the weighing work in
     * {@link #codePredictedValues}'s loop instead made that loop bigger, and the steady state
     * (no run weighed) slower, decimal runs from 29 to 33 ns a point (A/B, alternating forks).
     */
    private void codeWeighing(final PointRing ring, final long from, final long end, final boolean allCommitted,
                              final int metricCount) {
        final int[] runById = this.runById;
        final DecimalRuns decimals = this.decimals;
        final long[] lastStep = this.lastStepById;
        final long[] lastTimestamp = this.lastTimestampById;
        final long[] lastValue = this.lastValueById;
        final long[] stepCursor = columns.stepCursor;
        final long[] timestampCursor = columns.timestampCursor;
        final long[] valueCursor = columns.valueCursor;
        final long[] valueLimit = columns.valueLimit;
        final long[] lastDifference = this.lastDifferenceById;
        final int[] bitsBytes = this.bitsBytesById;
        final long[] pointBits = this.pointBits;
        final long[] valueScratch = columns.valueScratch;
        final int[] floatBytes = this.floatBytesById;
        final int[] lastFloat = this.lastFloatById;
        final int[] planById = this.planById;
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
            final long value = UnsafeApi.getLong(slot + PointRingLayout.VALUE_OFFSET);
            stepCursor[r] = VarInt.write(stepCursor[r], VarInt.zigzag(step - lastStep[id]));
            timestampCursor[r] = VarInt.write(timestampCursor[r], VarInt.zigzag(timestamp - lastTimestamp[id]));
            final int plan = planById[id];
            if (plan == PLAN_WEIGH || plan == ValueMode.JOURNAL_XOR) {
                valueCursor[r] = XorCoding.write(valueCursor[r], value ^ lastValue[id], valueLimit[r]);
            }
            final int bitsSoFar = bitsBytes[id];
            if (bitsSoFar >= 0) { // BITS still in the running for this run
                final int xorSoFar = plan == PLAN_WEIGH ? (int) (valueCursor[r] - valueScratch[r]) : NOT_CODED - BITS_GIVE_UP_MARGIN;
                bitsBytes[id] = bitsSoFar > xorSoFar + BITS_GIVE_UP_MARGIN ? OUT
                    : bitsSoFar + VarInt.length(BitsCoding.code(value, lastValue[id], lastDifference[id]));
                lastDifference[id] = value - lastValue[id];
            }
            final int floatSoFar = floatBytes[id];
            if (floatSoFar >= 0) { // every value so far a float32
                final long f = Float32Coding.floatBits(value);
                if (f == Float32Coding.NOT_FLOAT) {
                    floatBytes[id] = OUT;
                } else {
                    floatBytes[id] = floatSoFar + VarInt.length(Float32Coding.code((int) f, lastFloat[id]));
                    lastFloat[id] = (int) f;
                }
            }
            pointBits[k] = value;
            lastStep[id] = step;
            lastTimestamp[id] = timestamp;
            lastValue[id] = value;
            decimals.point(k++, id);
        }
    }

    /**
     * Runs whose predicted mode failed (a DECIMAL run with a value of no decimal form, a FLOAT32
     * run with one that is no float32) or came out longer than XOR's worst case, which bounds
     * the record: their XOR column, coded now from the batch's value bits; their next run is
     * weighed.
     */
    private void codeXorWhereThePredictionFailed(final int points) {
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            if (planById[id] == PLAN_WEIGH || planById[id] == ValueMode.JOURNAL_XOR
                || valueBytesById[id] <= (long) XorCoding.MAX_LENGTH * countById[id]) {
                continue;
            }
            decimals.drop(id);
            valueModeById[id] = ValueMode.JOURNAL_XOR;
            predictions.forget(id);
            long cursor = columns.valueScratch[r];
            long last = 0;
            for (int k = 0; k < points; k++) {
                if (decimals.pointId(k) == id) {
                    cursor = XorCoding.write(cursor, pointBits[k] ^ last, columns.valueLimit[r]);
                    last = pointBits[k];
                }
            }
            columns.valueCursor[r] = cursor;
            valueBytesById[id] = (int) (cursor - columns.valueScratch[r]);
        }
    }

    /** After a batch is written: each run's mode becomes its metric's prediction, or counts as one more run in it. */
    private void updatePredictions() {
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            predictions.written(id, planById[id], countById[id], valueModeById[id]);
        }
    }

    /**
     * After {@link DecimalRuns#choose} kept the shorter of XOR and DECIMAL for each run: BITS, then
     * FLOAT32, instead where it is shorter still (never on a tie); each run's mode and value bytes.
     */
    private void chooseComputed() {
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            int mode = decimals.exponent(id) >= 0 ? ValueMode.JOURNAL_DECIMAL : ValueMode.JOURNAL_XOR;
            if (bitsBytesById[id] >= 0 && bitsBytesById[id] < valueBytesById[id]) {
                valueBytesById[id] = bitsBytesById[id];
                mode = ValueMode.JOURNAL_BITS;
            }
            if (floatBytesById[id] >= 0 && floatBytesById[id] < valueBytesById[id]) {
                valueBytesById[id] = floatBytesById[id];
                mode = ValueMode.JOURNAL_FLOAT32;
            }
            if (mode != ValueMode.JOURNAL_DECIMAL) {
                decimals.drop(id);
            }
            valueModeById[id] = mode;
        }
    }

    /** The exponent of metric {@code id}'s run as the record and the catalog keep it: a DECIMAL run's, else 0. */
    private int valueExponent(final int id) {
        return valueModeById[id] == ValueMode.JOURNAL_DECIMAL ? decimals.exponent(id) : 0;
    }

    /** The step and timestamp columns of every run, and the values of its XOR runs, from the scratch into the record. */
    private void copyColumns() {
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            final long out = target + runOffsets[r];
            final int stepBytes = stepBytesById[id];
            final int timestampBytes = timestampBytesById[id];
            UnsafeApi.copyMemory(columns.stepScratch[r], out, stepBytes);
            UnsafeApi.copyMemory(columns.timestampScratch[r], out + stepBytes, timestampBytes);
            if (valueModeById[id] == ValueMode.JOURNAL_XOR) {
                UnsafeApi.copyMemory(columns.valueScratch[r], out + stepBytes + timestampBytes, valueBytesById[id]);
            }
        }
    }

    /**
     * The values of the DECIMAL runs (from the digits {@link DecimalRuns} settled) and of the BITS
     * and FLOAT32 runs (from the batch's value bits), straight into the record; false if a column did not end
     * exactly where it was counted (a bug: the record is then rolled back rather than published).
     */
    private boolean writeComputedColumns(final int points) {
        boolean any = false;
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            if (valueModeById[id] != ValueMode.JOURNAL_XOR) {
                any = true;
                columns.valueCursor[r] = target + runOffsets[r] + stepBytesById[id] + timestampBytesById[id];
                lastValueById[id] = 0;
                lastDifferenceById[id] = 0;
            }
        }
        if (!any) {
            return true;
        }
        final DecimalRuns decimals = this.decimals;
        final int[] runById = this.runById;
        final int[] valueModeById = this.valueModeById;
        final long[] lastValue = this.lastValueById;
        final long[] lastDifference = this.lastDifferenceById;
        final long[] valueCursor = columns.valueCursor;
        final long[] pointBits = this.pointBits;
        for (int k = 0; k < points; k++) {
            final int id = decimals.pointId(k);
            final int mode = valueModeById[id];
            if (mode == ValueMode.JOURNAL_DECIMAL) {
                final int r = runById[id];
                final long d = decimals.digits(k);
                valueCursor[r] = VarInt.write(valueCursor[r], VarInt.zigzag(d - lastValue[id]));
                lastValue[id] = d;
            } else if (mode == ValueMode.JOURNAL_BITS) {
                final int r = runById[id];
                final long bits = pointBits[k];
                valueCursor[r] = VarInt.write(valueCursor[r], BitsCoding.code(bits, lastValue[id], lastDifference[id]));
                lastDifference[id] = bits - lastValue[id];
                lastValue[id] = bits;
            } else if (mode == ValueMode.JOURNAL_FLOAT32) {
                final int r = runById[id];
                final int f = Float.floatToRawIntBits((float) Double.longBitsToDouble(pointBits[k])); // checked a float32
                valueCursor[r] = VarInt.write(valueCursor[r], Float32Coding.code(f, (int) lastValue[id]));
                lastValue[id] = f;
            }
        }
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            if (valueModeById[id] != ValueMode.JOURNAL_XOR && valueCursor[r]
                != target + runOffsets[r] + stepBytesById[id] + timestampBytesById[id] + valueBytesById[id]) {
                return false;
            }
        }
        return true;
    }

    private void ensureIds(final int n) {
        predictions.ensure(n);
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
            lastDifferenceById = Arrays.copyOf(lastDifferenceById, size);
            bitsBytesById = Arrays.copyOf(bitsBytesById, size);
            valueModeById = Arrays.copyOf(valueModeById, size);
            floatBytesById = Arrays.copyOf(floatBytesById, size);
            lastFloatById = Arrays.copyOf(lastFloatById, size);
            planById = Arrays.copyOf(planById, size);
        }
    }

    private void ensureRuns(final int n) {
        if (runIds.length < n) {
            final int size = Math.max(n, runIds.length * 2);
            runIds = Arrays.copyOf(runIds, size);
            runOffsets = Arrays.copyOf(runOffsets, size);
            columns.ensureRuns(size);

        }
    }
}
