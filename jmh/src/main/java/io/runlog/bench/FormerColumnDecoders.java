package io.runlog.bench;

import io.runlog.codec.VarInt;
import org.agrona.UnsafeApi;

/**
 * Baseline only: the journal's delta and XOR column decoders as they were before the codec
 * package (revision 6215bbd, {@code store.PointRunDecoder}), addressing {@code base + int offset}
 * with the varint continuation inline. {@link ColumnDecodeBenchmark} runs them beside today's
 * {@code io.runlog.codec} decoders so that a regression of the move shows as a ratio in one run.
 * Not used by the library.
 */
final class FormerColumnDecoders {
    private FormerColumnDecoders() {
    }

    static int decodeDeltas(final long base, final int from, final int to, final long[] out, final int at,
                            final int count) {
        int i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            if (i >= to) {
                return -1;
            }
            final byte first = UnsafeApi.getByte(base + i++);
            long z = first;
            if (first < 0) {
                z &= 0x7F;
                int shift = 7;
                while (true) {
                    if (i >= to || shift > 63) {
                        return -1;
                    }
                    final byte b = UnsafeApi.getByte(base + i++);
                    if (shift == 63 && (b & 0x7E) != 0) {
                        return -1;
                    }
                    z |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                    shift += 7;
                }
            }
            previous += VarInt.unzigzag(z);
            out[at + k] = previous;
        }
        return i == to ? 0 : -1;
    }

    static int decodeDecimals(final long base, final int from, final int to, final long[] out, final int at,
                              final int count, final double scale) {
        if (decodeDeltas(base, from, to, out, at, count) < 0) {
            return -1;
        }
        for (int k = at, end = at + count; k < end; k++) {
            out[k] = Double.doubleToRawLongBits((double) out[k] / scale);
        }
        return 0;
    }

    static int decodeXor(final long base, final int from, final int to, final long[] out, final int at,
                         final int count) {
        int i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            if (i >= to) {
                return -1;
            }
            final int header = UnsafeApi.getByte(base + i++) & 0xFF;
            if (header != 0xFF) {
                final int lead = header >>> 4;
                final int trail = header & 0x0F;
                final int n = 8 - lead - trail;
                if (lead > 7 || trail > 7 || n <= 0 || i + n > to) {
                    return -1;
                }
                long middle;
                if (i + 8 <= to) {
                    middle = UnsafeApi.getLong(base + i) & (-1L >>> ((8 - n) << 3));
                } else {
                    middle = 0;
                    for (int b = n - 1; b >= 0; b--) {
                        middle = (middle << 8) | (UnsafeApi.getByte(base + i + b) & 0xFFL);
                    }
                }
                i += n;
                previous ^= middle << (trail << 3);
            }
            out[at + k] = previous;
        }
        return i == to ? 0 : -1;
    }
}
