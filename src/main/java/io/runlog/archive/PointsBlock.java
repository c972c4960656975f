package io.runlog.archive;

import static io.runlog.archive.ArchiveLayout.MAX_POINTS_PER_BLOCK;

/**
 * Internal: coding of a POINTS block, one chunk of at most 65,536 consecutive points of one
 * metric, columnar (docs/format/archive.md, "POINTS"):
 *
 * <pre>
 * varint metric index, varint index of the chunk's first point, varint n (1..65536)
 * steps:      u8 0 + integer column | u8 1 (same as the previous POINTS block's steps)
 * timestamps: u8 0 + integer column | u8 1 (same as the previous POINTS block's timestamps)
 * values:     value column
 * </pre>
 *
 * Holds the previous block's step and timestamp columns for the "same as previous" coding;
 * one instance codes one archive, in order. Not thread-safe.
 */
final class PointsBlock {
    static final int COLUMN_CODED = 0;
    static final int COLUMN_SAME_AS_PREVIOUS = 1;

    private long[] previousSteps = new long[MAX_POINTS_PER_BLOCK];
    private long[] previousTimestamps = new long[MAX_POINTS_PER_BLOCK];
    private int previousN = -1;
    private final long[] frame = new long[IntColumn.FRAME];
    private final ValueColumn.Scratch scratch = new ValueColumn.Scratch(MAX_POINTS_PER_BLOCK);

    /** Decoded columns of the last block read ({@link #decode}); valid until the next call. */
    long[] steps = new long[MAX_POINTS_PER_BLOCK];
    long[] timestamps = new long[MAX_POINTS_PER_BLOCK];
    /** Points of the last block decoded (0 before the first). */
    final long[] values = new long[MAX_POINTS_PER_BLOCK];
    int metric;
    long first;
    int n;

    void encode(final int metric, final long first, final long[] steps, final long[] timestamps, final long[] values,
                final int from, final int n, final ByteSink out) {
        out.varint(metric);
        out.varint(first);
        out.varint(n);
        final boolean sameSteps = sameAsPrevious(previousSteps, steps, from, n);
        final boolean sameTimestamps = sameAsPrevious(previousTimestamps, timestamps, from, n);
        column(sameSteps, steps, from, n, previousSteps, out);
        column(sameTimestamps, timestamps, from, n, previousTimestamps, out);
        final long[] v = scratchCopy(values, from, n);
        ValueColumn.encode(v, n, out, scratch);
        previousN = n;
    }

    private final long[] copy = new long[MAX_POINTS_PER_BLOCK];

    private long[] scratchCopy(final long[] src, final int from, final int n) {
        if (from == 0) {
            return src;
        }
        System.arraycopy(src, from, copy, 0, n);
        return copy;
    }

    private boolean sameAsPrevious(final long[] previous, final long[] column, final int from, final int n) {
        return previousN == n && java.util.Arrays.equals(previous, 0, n, column, from, from + n);
    }

    private void column(final boolean same, final long[] column, final int from, final int n, final long[] previous,
                        final ByteSink out) {
        if (same) {
            out.u8(COLUMN_SAME_AS_PREVIOUS);
            return;
        }
        out.u8(COLUMN_CODED);
        System.arraycopy(column, from, previous, 0, n);
        IntColumn.encode(previous, n, out, frame);
    }

    /** Decodes a block into {@link #steps}, {@link #timestamps}, {@link #values}. */
    void decode(final ByteSource in, final int metrics) {
        final int metricAt = in.position();
        if (metrics == 0) {
            throw new ByteSource.Malformed("points, but the METRICS block lists no metric", metricAt);
        }
        metric = (int) in.varint("metric index", 0, metrics - 1L);
        first = in.varint("first point index", 0, Long.MAX_VALUE - MAX_POINTS_PER_BLOCK);
        final int count = (int) in.varint("point count", 1, MAX_POINTS_PER_BLOCK);
        final int before = n;
        n = count;
        // the last block's columns become "previous"
        long[] t = previousSteps;
        previousSteps = steps;
        steps = t;
        t = previousTimestamps;
        previousTimestamps = timestamps;
        timestamps = t;
        previousN = before == 0 && previousN < 0 ? -1 : before;
        decodeColumn(in, steps, previousSteps, "step column");
        decodeColumn(in, timestamps, previousTimestamps, "timestamp column");
        ValueColumn.decode(in, n, values, scratch, "value column");
    }

    private void decodeColumn(final ByteSource in, final long[] target, final long[] previous, final String what) {
        final int at = in.position();
        final int coding = in.u8(what + " coding");
        if (coding == COLUMN_SAME_AS_PREVIOUS) {
            if (previousN != n) {
                throw new ByteSource.Malformed(what + " is 'same as the previous block', but the previous block has "
                    + (previousN <= 0 ? "no points" : previousN + " points, not " + n), at);
            }
            System.arraycopy(previous, 0, target, 0, n);
            return;
        }
        if (coding != COLUMN_CODED) {
            throw new ByteSource.Malformed(what + " coding " + coding + " is unknown", at);
        }
        IntColumn.decode(in, n, target, what);
    }
}
