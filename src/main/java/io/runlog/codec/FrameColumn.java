package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * The frame-packed integer column (docs/format/codec.md, "Integer column"; byte for byte the
 * archive's integer column, docs/format/archive.md): {@code n} 64-bit integers as residuals of
 * order 0 (the values), 1 (first differences) or 2 (second differences), wrapping, in frames of
 * {@link #FRAME}; each frame is its minimum (zigzag varint), its bit width (u8, 0..64) and its
 * residuals minus the minimum bit-packed ({@link BitPacking}).
 *
 * <pre>
 * u8 order                      0, 1 or 2; order &lt;= n - 1 unless order = 0
 * order &gt;= 1: zigzag varint v[0]
 * order  = 2: zigzag varint v[1] - v[0]
 * per frame of up to 128 residuals r[order .. n):
 *     zigzag varint min, u8 width, packedBytes(count, width) bytes of r - min
 * </pre>
 *
 * <p>Encoding is one min/max pass and one packing pass per frame ({@link #encode}); the order is
 * the caller's choice or the cheapest one ({@link #bestOrder}, one more pass per order tried).
 * Decoding is a varint and a byte per frame and then a fixed-width unpack with no branch per
 * value, plus one or two running sums for orders 1 and 2. Stateless, allocation-free,
 * thread-safe; addressing as in {@link BitPacking}.
 */
public final class FrameColumn {
    /** Residuals per frame (the last frame of a column may hold fewer). */
    public static final int FRAME = 128;
    /** Bytes of a frame header at most: a 10-byte varint minimum and the width byte. */
    public static final int MAX_FRAME_HEADER = VarInt.MAX_LENGTH + 1;

    private FrameColumn() {
    }

    /** Most bytes {@link #encode} writes for {@code n} values, whatever they are. */
    public static long maxLength(final int n) {
        final long frames = (n + FRAME - 1) / FRAME;
        return 1 + 2L * VarInt.MAX_LENGTH + frames * MAX_FRAME_HEADER + 8L * n;
    }

    /** Residual {@code i} ({@code i >= order}) of {@code v} (indices absolute), wrapping. */
    private static long residual(final long[] v, final int i, final int order) {
        return switch (order) {
            case 0 -> v[i];
            case 1 -> v[i] - v[i - 1];
            default -> v[i] - 2 * v[i - 1] + v[i - 2];
        };
    }

    /**
     * Bytes the frames of one order take over {@code v[from .. from + n)}, each frame's minimum
     * counted as 2 bytes (the archive's estimate; its writer picks by it, so it is part of what
     * makes the archive's bytes what they are).
     */
    public static long cost(final long[] v, final int from, final int n, final int order) {
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
            cost += 3 + BitPacking.packedBytes(end - start, BitPacking.width(max - min));
        }
        return cost;
    }

    /** The order (0, 1 or 2, at most {@code n - 1}) of least {@link #cost}; the lowest on ties. */
    public static int bestOrder(final long[] v, final int from, final int n) {
        int best = 0;
        long bestCost = Long.MAX_VALUE;
        for (int order = 0; order <= Math.min(2, n - 1); order++) {
            final long cost = cost(v, from, n, order);
            if (cost < bestCost) {
                bestCost = cost;
                best = order;
            }
        }
        return best;
    }

    /**
     * {@link #encode(long[], int, int, int, Object, long)} with the {@link #quickOrder}. (The
     * archive picks by {@link #bestOrder}, which its bytes depend on.)
     */
    public static long encode(final long[] v, final int from, final int n, final Object base, final long offset) {
        return encode(v, from, n, quickOrder(v, from, n), base, offset);
    }

    /**
     * The order (0, 1 or 2, at most {@code n - 1}) of fewest packed bits, estimated in one pass:
     * the three orders' residuals side by side, each order's frame ranges taken over the same
     * 128-value windows of {@code v} (not the order's own frames), the lowest order on ties. What
     * {@link #encode} without an order uses: about a third of {@link #bestOrder}'s work.
     */
    public static int quickOrder(final long[] v, final int from, final int n) {
        if (n < 3) {
            return n < 2 ? 0 : bestOrder(v, from, n);
        }
        long bits0 = 0;
        long bits1 = 0;
        long bits2 = 0;
        for (int start = from + 2, stop = from + n; start < stop; start += FRAME) {
            final int end = Math.min(stop, start + FRAME);
            long min0 = Long.MAX_VALUE;
            long max0 = Long.MIN_VALUE;
            long min1 = Long.MAX_VALUE;
            long max1 = Long.MIN_VALUE;
            long min2 = Long.MAX_VALUE;
            long max2 = Long.MIN_VALUE;
            for (int i = start; i < end; i++) {
                final long r0 = v[i];
                final long r1 = r0 - v[i - 1];
                final long r2 = r1 - (v[i - 1] - v[i - 2]);
                min0 = Math.min(min0, r0);
                max0 = Math.max(max0, r0);
                min1 = Math.min(min1, r1);
                max1 = Math.max(max1, r1);
                min2 = Math.min(min2, r2);
                max2 = Math.max(max2, r2);
            }
            final int count = end - start;
            bits0 += (long) count * BitPacking.width(max0 - min0);
            bits1 += (long) count * BitPacking.width(max1 - min1);
            bits2 += (long) count * BitPacking.width(max2 - min2);
        }
        return bits0 <= bits1 && bits0 <= bits2 ? 0 : bits1 <= bits2 ? 1 : 2;
    }

    /**
     * Encodes {@code v[from .. from + n)} ({@code n >= 0}) at order {@code order} (0, 1 or 2, and
     * at most {@code n - 1} if above 0) at {@code (base, offset)}; the caller guarantees
     * {@link #maxLength} bytes of room. Writes nothing past the returned offset.
     *
     * @return the offset after the column
     */
    public static long encode(final long[] v, final int from, final int n, final int order,
                              final Object base, final long offset) {
        if (order < 0 || order > 2 || order > 0 && order > n - 1) {
            throw new IllegalArgumentException("order " + order + " for " + n + " values");
        }
        long p = offset;
        UnsafeApi.putByte(base, p++, (byte) order);
        if (order >= 1) {
            p = VarInt.write(base, p, VarInt.zigzag(v[from]));
        }
        if (order == 2) {
            p = VarInt.write(base, p, VarInt.zigzag(v[from + 1] - v[from]));
        }
        for (int start = from + order, stop = from + n; start < stop; start += FRAME) {
            final int end = Math.min(stop, start + FRAME);
            p = packFrame(v, start, end - start, order, base, p);
        }
        return p;
    }

    /** One frame: a min/max pass over its residuals, its header, and a packing pass. */
    private static long packFrame(final long[] v, final int start, final int count, final int order,
                                  final Object base, final long p) {
        final long a = order;
        final long b = order == 2 ? 1 : 0;
        final int s1 = Math.min(order, 1);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = start, end = start + count; i < end; i++) {
            final long r = v[i] - a * v[i - s1] + b * v[i - order];
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        final int width = BitPacking.width(max - min);
        long q = VarInt.write(base, p, VarInt.zigzag(min));
        UnsafeApi.putByte(base, q++, (byte) width);
        return BitPacking.packResiduals(v, start, count, order, width, min, base, q);
    }

    /**
     * Decodes a column of exactly {@code n} values at {@code (base, offset)}, reading nothing at
     * or past {@code limit}, into {@code out[at .. at + n)}.
     *
     * @return the offset after the column, or a {@link CodecStatus} error code
     */
    public static long decode(final Object base, final long offset, final long limit, final int n,
                              final long[] out, final int at) {
        if (offset >= limit) {
            return CodecStatus.PAST_END;
        }
        long p = offset;
        final int order = UnsafeApi.getByte(base, p++) & 0xFF;
        if (order > 2 || order > 0 && order > n - 1) {
            return CodecStatus.BAD_ORDER;
        }
        if (order >= 1) {
            p = VarInt.read(base, p, limit, out, at);
            if (p < 0) {
                return p == VarInt.PAST_END ? CodecStatus.PAST_END : CodecStatus.BAD_VARINT;
            }
            out[at] = VarInt.unzigzag(out[at]);
        }
        if (order == 2) {
            p = VarInt.read(base, p, limit, out, at + 1);
            if (p < 0) {
                return p == VarInt.PAST_END ? CodecStatus.PAST_END : CodecStatus.BAD_VARINT;
            }
            out[at + 1] = out[at] + VarInt.unzigzag(out[at + 1]);
        }
        for (int start = at + order, stop = at + n; start < stop; start += FRAME) {
            final int count = Math.min(stop - start, FRAME);
            p = VarInt.read(base, p, limit, out, start); // the minimum, parked in the frame's first slot
            if (p < 0) {
                return p == VarInt.PAST_END ? CodecStatus.PAST_END : CodecStatus.BAD_VARINT;
            }
            if (p >= limit) {
                return CodecStatus.PAST_END;
            }
            final long min = VarInt.unzigzag(out[start]);
            final int width = UnsafeApi.getByte(base, p++) & 0xFF;
            p = BitPacking.unpack(base, p, limit, count, width, min, out, start);
            if (p < 0) {
                return p;
            }
            if (order == 1) {
                long previous = out[start - 1];
                for (int i = start, end = start + count; i < end; i++) {
                    previous += out[i];
                    out[i] = previous;
                }
            } else if (order == 2) {
                long previous = out[start - 1];
                long difference = previous - out[start - 2];
                for (int i = start, end = start + count; i < end; i++) {
                    difference += out[i];
                    previous += difference;
                    out[i] = previous;
                }
            }
        }
        return p;
    }
}
