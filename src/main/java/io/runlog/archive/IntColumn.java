package io.runlog.archive;

/**
 * Internal: the integer column coder of the archive (steps, timestamps, and the integers the
 * value coder maps doubles to). Layout (see docs/format/archive.md, "Integer column"):
 *
 * <pre>
 * u8 order (0, 1 or 2)
 * order = 1: zigzag varint v[0]
 * order = 2: zigzag varint v[0], zigzag varint v[1] - v[0]
 * frames of up to 128 residuals r[order..n):
 *     zigzag varint min, u8 width (0..64), ceil(count * width / 8) bytes: r - min bit-packed
 * </pre>
 *
 * Residuals of order 0 are the values, of order 1 the differences, of order 2 the differences
 * of differences, all in wrapping 64-bit arithmetic. The encoder picks the order whose frames
 * take the fewest bytes.
 */
final class IntColumn {
    static final int FRAME = 128;

    private IntColumn() {
    }

    /** Residual i (i >= order) of the given order, wrapping. */
    private static long residual(final long[] v, final int i, final int order) {
        return switch (order) {
            case 0 -> v[i];
            case 1 -> v[i] - v[i - 1];
            default -> v[i] - 2 * v[i - 1] + v[i - 2];
        };
    }

    /** Encodes {@code v[0..n)}, n >= 1, with the cheapest order. */
    static void encode(final long[] v, final int n, final ByteSink out, final long[] scratch) {
        int best = 0;
        long bestCost = Long.MAX_VALUE;
        for (int order = 0; order <= Math.min(2, n - 1); order++) {
            final long cost = cost(v, 0, n, order);
            if (cost < bestCost) {
                bestCost = cost;
                best = order;
            }
        }
        encode(v, n, best, out, scratch);
    }

    /** Bytes the frames of one order take over {@code v[from..from+n)} (approximating each frame's min as 2 bytes). */
    static long cost(final long[] v, final int from, final int n, final int order) {
        long cost = 0;
        for (int start = from + order; start < from + n; start += FRAME) {
            final int end = Math.min(from + n, start + FRAME);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = start; i < end; i++) {
                final long r = residual(v, i, order);
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            final int width = 64 - Long.numberOfLeadingZeros(max - min);
            cost += 3 + (((long) (end - start) * width + 7) >>> 3);
        }
        return cost;
    }

    static void encode(final long[] v, final int n, final int order, final ByteSink out, final long[] scratch) {
        out.u8(order);
        if (order >= 1) {
            out.zigzag(v[0]);
        }
        if (order == 2) {
            out.zigzag(v[1] - v[0]);
        }
        for (int start = order; start < n; start += FRAME) {
            final int end = Math.min(n, start + FRAME);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = start; i < end; i++) {
                final long r = residual(v, i, order);
                scratch[i - start] = r;
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            final int width = 64 - Long.numberOfLeadingZeros(max - min);
            out.zigzag(min);
            out.u8(width);
            out.pack(scratch, 0, end - start, width, min);
        }
    }

    /** Decodes {@code n} values into {@code out[0..n)}. */
    static void decode(final ByteSource in, final int n, final long[] out, final String what) {
        final int order = in.u8(what + " order");
        if (order > 2 || order > n - 1 && order > 0) {
            throw in.malformed(what + ": order " + order + " impossible for " + n + " values");
        }
        if (order >= 1) {
            out[0] = in.zigzag(what + " first value");
        }
        if (order == 2) {
            out[1] = out[0] + in.zigzag(what + " first difference");
        }
        for (int start = order; start < n; start += FRAME) {
            final int count = Math.min(n - start, FRAME);
            final long min = in.zigzag(what + " frame minimum");
            final int widthAt = in.position();
            final int width = in.u8(what + " frame width");
            if (width > 64) {
                throw new ByteSource.Malformed(what + ": frame width " + width + " > 64", widthAt);
            }
            in.unpack(out, start, count, width, min, what + " frame");
            switch (order) {
                case 0 -> { }
                case 1 -> {
                    for (int i = start; i < start + count; i++) {
                        out[i] += out[i - 1];
                    }
                }
                default -> {
                    for (int i = start; i < start + count; i++) {
                        out[i] += 2 * out[i - 1] - out[i - 2];
                    }
                }
            }
        }
    }
}
