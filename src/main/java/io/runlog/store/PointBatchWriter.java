package io.runlog.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.Arrays;

import static io.runlog.store.JournalLayout.*;

/**
 * Moves committed points from the ring into one POINT_BATCH record, grouped by metric, written in
 * place in the journal's mapped memory (no intermediate copy). Two passes over the slots: count
 * points per metric, then scatter each point into its metric's run, preserving arrival order
 * within a metric. Reuses its scratch arrays, so a steady drain allocates nothing.
 * Not thread-safe: used under the experiment lock.
 */
final class PointBatchWriter {
    private int[] countById = new int[64];
    private int[] runById = new int[64];
    private int[] runIds = new int[64];
    private int[] runFill = new int[64];
    private long[] runBase = new long[64];
    private int runs;
    /** Points skipped because their slot named an undefined metric (only possible in a damaged ring). */
    private long skippedPoints;

    long skippedPoints() {
        return skippedPoints;
    }

    /**
     * Writes the committed points among positions {@code [from, end)} (at most
     * {@link JournalLayout#MAX_BATCH_POINTS}) as one record and records their extents in the
     * catalog. Uncommitted positions are skipped (only recovery passes ranges with gaps).
     *
     * @return the number of points written (0 writes nothing)
     */
    int write(final PointRing ring, final long from, final long end, final Journal journal,
              final ExperimentCatalog catalog) {
        final int metricCount = catalog.metricCount();
        ensureIds(metricCount);
        runs = 0;
        int points = 0;
        for (long p = from; p < end; p++) {
            if (!ring.isCommitted(p)) {
                continue;
            }
            final int id = ring.metricId(p);
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
        final long index;
        try (DocumentContext dc = journal.beginInPlace()) {
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.writePosition();
            bytes.writeSkip(length);
            bytes.writeByte(start, (byte) RecordType.POINT_BATCH.code);
            bytes.writeByte(start + 1, (byte) VERSION);
            bytes.writeShort(start + 2, (short) 0);
            bytes.writeInt(start + BATCH_RUN_COUNT_OFFSET, runs);
            bytes.writeInt(start + BATCH_POINT_COUNT_OFFSET, points);
            bytes.writeInt(start + 12, 0);
            bytes.writeLong(start + BATCH_FIRST_POSITION_OFFSET, from);
            bytes.writeLong(start + BATCH_END_POSITION_OFFSET, end);
            long runStart = BATCH_HEADER_LENGTH + (long) runs * BATCH_DIRECTORY_ENTRY_LENGTH;
            for (int r = 0; r < runs; r++) {
                final int id = runIds[r];
                final int count = countById[id];
                final long entry = start + BATCH_HEADER_LENGTH + (long) r * BATCH_DIRECTORY_ENTRY_LENGTH;
                bytes.writeInt(entry, id);
                bytes.writeInt(entry + 4, count);
                runBase[r] = runStart;
                runFill[r] = 0;
                runStart += (long) count * BATCH_POINT_LENGTH;
            }
            for (long p = from; p < end; p++) {
                if (!ring.isCommitted(p)) {
                    continue;
                }
                final int id = ring.metricId(p);
                if (id < 0 || id >= metricCount) {
                    continue;
                }
                final int r = runById[id];
                final int count = countById[id];
                final long at = start + runBase[r] + 8L * runFill[r]++;
                bytes.writeLong(at, ring.step(p));
                bytes.writeLong(at + 8L * count, ring.timestamp(p));
                bytes.writeLong(at + 16L * count, ring.valueBits(p));
            }
        }
        index = journal.lastIndexAppended();
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            catalog.extents(id).add(index, (int) runBase[r], countById[id]);
            countById[id] = 0;
        }
        catalog.ringEndPosition(end);
        return points;
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
