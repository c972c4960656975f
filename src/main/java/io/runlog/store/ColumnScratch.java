package io.runlog.store;

import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link PointBatchWriter}'s off-heap scratch memory: for every run of the batch being coded,
 * room for its longest possible step, timestamp and value columns, where each starts, and a
 * cursor into each (raw addresses; the coding loops write through them and advance them). The
 * memory and the arrays are kept and grown, never shrunk, so a steady drain allocates nothing.
 * Not thread-safe: used under the experiment lock.
 */
final class ColumnScratch {
    /** Per run: where its three columns start in the scratch memory. */
    long[] stepScratch = new long[64];
    long[] timestampScratch = new long[64];
    long[] valueScratch = new long[64];
    /** Per run: where the next code of each column goes. */
    long[] stepCursor = new long[64];
    long[] timestampCursor = new long[64];
    long[] valueCursor = new long[64];
    /** Per run: the end of its value column's room (XOR's worst case). */
    long[] valueLimit = new long[64];
    /** Kept referenced: its address is used raw. */
    private ByteBuffer buffer;
    private long address;
    private long capacity;

    /** Room for {@code n} runs. */
    void ensureRuns(final int n) {
        if (stepScratch.length < n) {
            stepScratch = Arrays.copyOf(stepScratch, n);
            timestampScratch = Arrays.copyOf(timestampScratch, n);
            valueScratch = Arrays.copyOf(valueScratch, n);
            stepCursor = Arrays.copyOf(stepCursor, n);
            timestampCursor = Arrays.copyOf(timestampCursor, n);
            valueCursor = Arrays.copyOf(valueCursor, n);
            valueLimit = Arrays.copyOf(valueLimit, n);
        }
    }

    /**
     * Lays out the columns of {@code runs} runs of {@code points} points in all: run {@code r} is
     * metric {@code runIds[r]} with {@code countById[runIds[r]]} points; every cursor at its column's start.
     */
    void layout(final int points, final int runs, final int[] runIds, final int[] countById) {
        final long needed = (long) points * JournalLayout.MAX_POINT_BYTES;
        if (capacity < needed) {
            capacity = Math.max(needed, 2 * capacity);
            buffer = ByteBuffer.allocateDirect((int) capacity);
            address = BufferUtil.address(buffer);
        }
        ensureRuns(runs);
        long at = address;
        for (int r = 0; r < runs; r++) {
            final int count = countById[runIds[r]];
            stepScratch[r] = at;
            stepCursor[r] = at;
            at += (long) count * VarInt.MAX_LENGTH;
            timestampScratch[r] = at;
            timestampCursor[r] = at;
            at += (long) count * VarInt.MAX_LENGTH;
            valueScratch[r] = at;
            valueCursor[r] = at;
            at += (long) count * XorCoding.MAX_LENGTH;
            valueLimit[r] = at;
        }
    }
}
