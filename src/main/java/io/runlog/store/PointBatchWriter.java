package io.runlog.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import static io.runlog.store.JournalLayout.*;

/**
 * Moves committed points from the ring into one POINT_BATCH record, grouped by metric, written in
 * place in the journal's mapped memory (no intermediate copy). Two passes over the slots: count
 * points per metric, then scatter each point into its metric's run, preserving arrival order
 * within a metric. Reuses its scratch arrays, so a steady drain allocates nothing.
 * Not thread-safe: used under the experiment lock.
 */
final class PointBatchWriter {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private int[] countById = new int[64];
    private int[] runById = new int[64];
    private int[] runIds = new int[64];
    private int[] runFill = new int[64];
    private int[] runBase = new int[64];
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private int runs;
    /** Points skipped because their slot named an undefined metric (only possible in a damaged ring). */
    private long skippedPoints;

    long skippedPoints() {
        return skippedPoints;
    }

    /**
     * Writes the points at positions {@code [from, end)} (at most
     * {@link JournalLayout#MAX_BATCH_POINTS}) as one record and records their extents in the
     * catalog. With {@code allCommitted} (the live drain, which checked the run first) every
     * position is taken; otherwise (recovery) uncommitted positions are skipped.
     *
     * @return the number of points written (0 writes nothing)
     */
    int write(final PointRing ring, final long from, final long end, final boolean allCommitted,
              final Journal journal, final ExperimentCatalog catalog) {
        final int metricCount = catalog.metricCount();
        ensureIds(metricCount);
        final UnsafeBuffer slots = ring.buffer();
        final int[] countById = this.countById;
        runs = 0;
        int points = 0;
        try {
            for (long p = from; p < end; p++) {
                if (!allCommitted && !ring.isCommitted(p)) {
                    continue;
                }
                final int id = slots.getInt(ring.offsetOf(p) + PointRingLayout.METRIC_ID_OFFSET);
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
            if (points == 0) {
                return 0;
            }
            final int length = batchLength(runs, points);
            try (DocumentContext dc = journal.beginInPlace()) {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                bytes.writeSkip(length);
                // Chronicle's appender placed this document so that a quarter block (more than
                // any batch) after its header lies in one mapping: write it through one address.
                target.wrap(bytes.addressForWrite(start), length);
                fill(slots, ring, from, end, allCommitted, metricCount, points);
            }
            final long index = journal.lastIndexAppended();
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                catalog.extents(id).add(index, runBase[r], countById[id]);
            }
            catalog.ringEndPosition(end);
            return points;
        } finally {
            for (int r = 0; r < runs; r++) {
                countById[runIds[r]] = 0;
            }
        }
    }

    private void fill(final UnsafeBuffer slots, final PointRing ring, final long from, final long end,
                      final boolean allCommitted, final int metricCount, final int points) {
        final UnsafeBuffer out = target;
        final int runs = this.runs;
        out.putByte(0, (byte) RecordType.POINT_BATCH.code);
        out.putByte(1, (byte) VERSION);
        out.putShort(2, (short) 0, LE);
        out.putInt(BATCH_RUN_COUNT_OFFSET, runs, LE);
        out.putInt(BATCH_POINT_COUNT_OFFSET, points, LE);
        out.putInt(12, 0, LE);
        out.putLong(BATCH_FIRST_POSITION_OFFSET, from, LE);
        out.putLong(BATCH_END_POSITION_OFFSET, end, LE);
        int runStart = BATCH_HEADER_LENGTH + runs * BATCH_DIRECTORY_ENTRY_LENGTH;
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            final int count = countById[id];
            final int entry = BATCH_HEADER_LENGTH + r * BATCH_DIRECTORY_ENTRY_LENGTH;
            out.putInt(entry, id, LE);
            out.putInt(entry + 4, count, LE);
            runBase[r] = runStart;
            runFill[r] = runStart;
            runStart += count * BATCH_POINT_LENGTH;
        }
        final int[] runById = this.runById;
        final int[] countById = this.countById;
        final int[] runFill = this.runFill;
        for (long p = from; p < end; p++) {
            if (!allCommitted && !ring.isCommitted(p)) {
                continue;
            }
            final int slot = ring.offsetOf(p);
            final int id = slots.getInt(slot + PointRingLayout.METRIC_ID_OFFSET);
            if (id < 0 || id >= metricCount) {
                continue;
            }
            final int r = runById[id];
            final int columnLength = countById[id] << 3;
            final int at = runFill[r];
            runFill[r] = at + 8;
            out.putLong(at, slots.getLong(slot + PointRingLayout.STEP_OFFSET), LE);
            out.putLong(at + columnLength, slots.getLong(slot + PointRingLayout.TIMESTAMP_OFFSET), LE);
            out.putLong(at + 2 * columnLength, slots.getLong(slot + PointRingLayout.VALUE_OFFSET), LE);
        }
    }

    private void ensureIds(final int n) {
        if (countById.length < n) {
            final int size = Math.max(n, countById.length * 2);
            countById = Arrays.copyOf(countById, size);
            runById = Arrays.copyOf(runById, size);
        }
    }

    private void ensureRuns(final int n) {
        if (runIds.length < n) {
            final int size = Math.max(n, runIds.length * 2);
            runIds = Arrays.copyOf(runIds, size);
            runFill = Arrays.copyOf(runFill, size);
            runBase = Arrays.copyOf(runBase, size);
        }
    }
}
