package io.runlog.store;

import io.runlog.codec.AlpRdCoding;
import io.runlog.codec.DoubleColumn;
import io.runlog.codec.FrameColumn;
import io.runlog.codec.ValueMode;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Moves committed points from the ring into one format 6 POINT_BATCH record whose columns are
 * frame-packed ({@code io.runlog.codec}, {@code docs/format/codec.md}): steps and timestamps as
 * {@link ColumnCoding#FRAMES} integer columns, values as a {@link ValueMode#DOUBLE_COLUMN}
 * (frames of the raw bits, ALP, ALP-RD or float32 frames). Both decode without a branch per
 * value.
 *
 * <p>A first pass over the slots reads only their metric ids (the runs, in first-appearance
 * order, and their counts); the second gathers every point's step, timestamp and value bits into
 * its run's place in three heap arrays, preserving arrival order within a metric. Each run's
 * columns are then coded from those arrays into off-heap scratch, and the record, whose exact
 * length is then known, is opened in place in the journal's mapped memory and the runs copied
 * into it.
 *
 * <p>Codings are picked by cheap statistics, not by coding every way: a metric's value scheme is
 * {@link DoubleColumn#choose chosen} on a sample of 32 values, and the order (0, 1 or 2) of its
 * step and timestamp frames by {@link FrameColumn#bestOrder}; both are kept for the metric and
 * chosen again every {@link #RECHOOSE_EVERY} runs (a FLOAT32 scheme meeting a value that is no
 * float32 falls back to frames for that run, and the next run chooses again).
 *
 * <p>A batch whose frame-packed record would not fit the journal's record limit (many runs of a
 * few points: every column has a header of a few bytes) is handed to {@link PointBatchWriter},
 * whose varint columns are bounded per point; {@link #write} returns what it wrote either way.
 *
 * <p>Reuses its arrays and scratch memory, so a steady drain allocates nothing. Not thread-safe:
 * used under the experiment lock.
 */
final class FramedBatchWriter {
    /** A metric's codings are chosen again after this many runs coded with the kept ones. */
    static final int RECHOOSE_EVERY = 16;
    /** {@link #choiceById} of a metric with nothing chosen yet. */
    private static final int UNCHOSEN = -1;

    private final PointBatchWriter fallback;
    private final BatchDirectory directory = new BatchDirectory();
    // Per metric id, valid for the current batch only.
    private int[] countById = new int[64];
    private int[] runById = new int[64];
    // Per metric id, kept across batches.
    private int[] choiceById = filled(64, UNCHOSEN);
    private int[] stepOrderById = new int[64];
    private int[] timestampOrderById = new int[64];
    private int[] runsSinceChoiceById = new int[64];
    // Per run of the current batch.
    private int[] runIds = new int[64];
    private int[] runStart = new int[64];
    private int[] runFill = new int[64];
    private long[] codedAt = new long[64];
    private int runs;
    /** The batch's points, gathered per run: run r's at [runStart[r], runStart[r] + count). */
    private long[] steps = new long[1024];
    private long[] timestamps = new long[1024];
    private long[] bits = new long[1024];
    private long[] valueScratch = new long[1024];
    private final long[] dictionary = new long[AlpRdCoding.MAX_DICTIONARY];
    /** Off-heap scratch for the coded runs (kept referenced: its address is used raw). */
    private ByteBuffer scratchBuffer;
    private long scratch;
    private long scratchCapacity;
    private long skippedPoints;

    FramedBatchWriter() {
        this(new PointBatchWriter());
    }

    /** @param fallback writes the batches whose frame-packed record would be too long */
    FramedBatchWriter(final PointBatchWriter fallback) {
        this.fallback = fallback;
    }

    /** Points skipped because their slot named an undefined metric (only possible in a damaged ring). */
    long skippedPoints() {
        return skippedPoints + fallback.skippedPoints();
    }

    /**
     * Writes the points at positions {@code [from, end)} as one record and records their extents
     * in the catalog; same contract as {@link PointBatchWriter#write}.
     *
     * @return the number of points written (0 writes nothing)
     */
    int write(final PointRing ring, final long from, final long end, final boolean allCommitted,
              final Journal journal, final ExperimentCatalog catalog) {
        final int metricCount = catalog.metricCount();
        ensureIds(metricCount);
        runs = 0;
        final long skippedBefore = skippedPoints;
        try {
            final int points = countRuns(ring, from, end, allCommitted, metricCount);
            if (points == 0) {
                return 0;
            }
            gather(ring, from, end, allCommitted, metricCount, points);
            final long coded = codeRuns();
            final long length = PointBatchDescriptor.runsOffset(runs, JournalLayout.VERSION) + coded;
            if (length + RecordTrailerDescriptor.LENGTH > journal.maxRecordLength()) {
                resetBatch();
                skippedPoints = skippedBefore; // the fallback counts them again
                return fallback.write(ring, from, end, allCommitted, journal, catalog);
            }
            directory.reset(runs);
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                directory.run(r, id, countById[id], stepBytes(r), ColumnCoding.FRAMES, timestampBytes(r),
                    ColumnCoding.FRAMES, valueBytes(r), ValueMode.JOURNAL_DOUBLE_COLUMN, 0);
            }
            final int recordLength = directory.layout();
            try (DocumentContext dc = journal.beginInPlace()) {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                bytes.writeSkip(recordLength + RecordTrailerDescriptor.LENGTH);
                // as PointBatchWriter: a quarter block after the header lies in one mapping
                final long target = bytes.addressForWrite(start);
                directory.writeHeader(target, from, end, points);
                for (int r = 0; r < runs; r++) {
                    UnsafeApi.copyMemory(codedAt[3 * r], target + directory.runOffset(r), codedAt[3 * r + 3] - codedAt[3 * r]);
                }
                journal.sealBatch(dc, target, recordLength, directory);
            }
            directory.index(journal.lastIndexAppended(), catalog);
            catalog.ringEndPosition(end);
            return points;
        } finally {
            resetBatch();
        }
    }

    private void resetBatch() {
        for (int r = 0; r < runs; r++) {
            countById[runIds[r]] = 0;
        }
        runs = 0;
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
            }
            points++;
        }
        return points;
    }

    /** Pass 2: every point's step, timestamp and value bits into its run's place in the arrays. */
    private void gather(final PointRing ring, final long from, final long end, final boolean allCommitted,
                        final int metricCount, final int points) {
        if (steps.length < points) {
            final int size = Math.max(points, 2 * steps.length);
            steps = new long[size];
            timestamps = new long[size];
            bits = new long[size];
            valueScratch = new long[size];
        }
        int at = 0;
        for (int r = 0; r < runs; r++) {
            runStart[r] = at;
            runFill[r] = at;
            at += countById[runIds[r]];
        }
        final int[] runById = this.runById;
        final int[] runFill = this.runFill;
        final long[] steps = this.steps;
        final long[] timestamps = this.timestamps;
        final long[] bits = this.bits;
        for (long p = from; p < end; p++) {
            if (!allCommitted && !ring.isCommitted(p)) {
                continue;
            }
            final long slot = ring.slotAddress(p);
            final int id = UnsafeApi.getInt(slot + PointRingLayout.METRIC_ID_OFFSET);
            if (id < 0 || id >= metricCount) {
                continue;
            }
            final int k = runFill[runById[id]]++;
            steps[k] = UnsafeApi.getLong(slot + PointRingLayout.STEP_OFFSET);
            timestamps[k] = UnsafeApi.getLong(slot + PointRingLayout.TIMESTAMP_OFFSET);
            bits[k] = UnsafeApi.getLong(slot + PointRingLayout.VALUE_OFFSET);
        }
    }

    /**
     * Codes every run's three columns into the scratch, back to back; {@link #codedAt} holds where
     * each run's steps, timestamps and values start (and the next run's steps where its values end).
     * Returns the bytes of all runs.
     */
    private long codeRuns() {
        long needed = 0;
        for (int r = 0; r < runs; r++) {
            final int n = countById[runIds[r]];
            needed += 2 * FrameColumn.maxLength(n) + DoubleColumn.maxLength(n);
        }
        if (scratchCapacity < needed) {
            scratchCapacity = Math.max(needed, 2 * scratchCapacity);
            scratchBuffer = ByteBuffer.allocateDirect((int) scratchCapacity);
            scratch = BufferUtil.address(scratchBuffer);
        }
        long at = scratch;
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            final int n = countById[id];
            final int start = runStart[r];
            if (choiceById[id] == UNCHOSEN || runsSinceChoiceById[id] >= RECHOOSE_EVERY) {
                choiceById[id] = weighValueSchemes(start, n, at);
                stepOrderById[id] = FrameColumn.bestOrder(steps, start, n);
                timestampOrderById[id] = FrameColumn.bestOrder(timestamps, start, n);
                runsSinceChoiceById[id] = 0;
            } else {
                runsSinceChoiceById[id]++;
            }
            codedAt[3 * r] = at;
            at = FrameColumn.encode(steps, start, n, Math.min(stepOrderById[id], n - 1), null, at);
            codedAt[3 * r + 1] = at;
            at = FrameColumn.encode(timestamps, start, n, Math.min(timestampOrderById[id], n - 1), null, at);
            codedAt[3 * r + 2] = at;
            at = DoubleColumn.encode(bits, start, n, choiceById[id], valueScratch, dictionary, null, at);
            if (DoubleColumn.scheme(choiceById[id]) == DoubleColumn.FLOAT32
                && UnsafeApi.getByte(codedAt[3 * r + 2]) != DoubleColumn.FLOAT32) {
                choiceById[id] = UNCHOSEN; // the prediction failed: choose again next run
            }
            codedAt[3 * r + 3] = at;
        }
        return at - scratch;
    }

    /**
     * The value scheme of a run that chooses again: {@link DoubleColumn#choose}'s pick on its sample,
     * FRAMES, and FLOAT32 if the run's first value is a float32, each coded at {@code at} (scratch,
     * overwritten by the run's real columns afterwards) and the shortest kept, a tie going to the
     * first. Coding three ways once every {@link #RECHOOSE_EVERY} runs costs the drain little;
     * the sample alone took ALP with 16 decimals for noisy doubles and for float32 values alike
     * (6.6 bytes a value, where float32 frames take 2.6: measured on the issue 15 workload).
     */
    private int weighValueSchemes(final int start, final int n, final long at) {
        final int sampled = DoubleColumn.choose(bits, start, n);
        int best = sampled;
        long bestBytes = DoubleColumn.encode(bits, start, n, sampled, valueScratch, dictionary, null, at) - at;
        if (DoubleColumn.scheme(sampled) != DoubleColumn.FRAMES) {
            final long frames = DoubleColumn.encode(bits, start, n, DoubleColumn.FRAMES, valueScratch, dictionary, null, at) - at;
            if (frames < bestBytes) {
                best = DoubleColumn.FRAMES;
                bestBytes = frames;
            }
        }
        if (DoubleColumn.scheme(sampled) != DoubleColumn.FLOAT32
            && io.runlog.codec.Float32Coding.floatBits(bits[start]) != io.runlog.codec.Float32Coding.NOT_FLOAT) {
            final long floats = DoubleColumn.encode(bits, start, n, DoubleColumn.FLOAT32, valueScratch, dictionary, null, at) - at;
            if (floats < bestBytes && UnsafeApi.getByte(at) == DoubleColumn.FLOAT32) {
                best = DoubleColumn.FLOAT32;
            }
        }
        return best;
    }

    private int stepBytes(final int r) {
        return (int) (codedAt[3 * r + 1] - codedAt[3 * r]);
    }

    private int timestampBytes(final int r) {
        return (int) (codedAt[3 * r + 2] - codedAt[3 * r + 1]);
    }

    private int valueBytes(final int r) {
        return (int) (codedAt[3 * r + 3] - codedAt[3 * r + 2]);
    }

    private void ensureIds(final int n) {
        if (countById.length < n) {
            final int size = Math.max(n, countById.length * 2);
            final int known = choiceById.length;
            countById = Arrays.copyOf(countById, size);
            runById = Arrays.copyOf(runById, size);
            choiceById = Arrays.copyOf(choiceById, size);
            Arrays.fill(choiceById, known, size, UNCHOSEN);
            stepOrderById = Arrays.copyOf(stepOrderById, size);
            timestampOrderById = Arrays.copyOf(timestampOrderById, size);
            runsSinceChoiceById = Arrays.copyOf(runsSinceChoiceById, size);
        }
    }

    private void ensureRuns(final int n) {
        if (runIds.length < n) {
            final int size = Math.max(n, runIds.length * 2);
            runIds = Arrays.copyOf(runIds, size);
            runStart = Arrays.copyOf(runStart, size);
            runFill = Arrays.copyOf(runFill, size);
        }
        if (codedAt.length < 3 * n + 1) {
            codedAt = Arrays.copyOf(codedAt, Math.max(3 * n + 1, 2 * codedAt.length));
        }
    }

    private static int[] filled(final int n, final int value) {
        final int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
