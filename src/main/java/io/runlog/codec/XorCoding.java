package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * The journal's XOR value column (value mode {@link ValueMode#XOR}): each value's raw bits XOR
 * the previous value's (the first XOR 0), without the XOR's zero bytes at either end.
 * Consecutive values of a training curve share sign, exponent and leading mantissa bits, and
 * float32 values widened to double end in zero bytes, so a value takes 5 to 6 bytes instead of 8
 * on real curves. Any bit pattern (NaN payloads included) round-trips.
 *
 * <pre>
 * header byte h, then 8 - lead - trail bytes of (xor >>> 8 * trail), little-endian:
 *   h = 0xFF                         xor == 0: the value repeats, no more bytes
 *   h = lead << 4 | trail            lead = leading zero bytes (0..7), trail = trailing zero bytes (0..7)
 * </pre>
 * A value takes 1 to {@link #MAX_LENGTH} bytes. Little-endian platforms only (checked when a
 * store opens). Stateless; thread-safe.
 */
public final class XorCoding {
    public static final int MAX_LENGTH = 9;
    public static final int REPEAT = 0xFF;

    private XorCoding() {
    }

    /** Bytes to code {@code xor} (the XOR of a value's bits with the previous value's). */
    public static int length(final long xor) {
        if (xor == 0) {
            return 1;
        }
        return 9 - (Long.numberOfLeadingZeros(xor) >>> 3) - (Long.numberOfTrailingZeros(xor) >>> 3);
    }

    /**
     * Writes {@code xor} at raw address {@code address}, within a column ending at {@code limit};
     * returns the address after it. Where 8 bytes fit before {@code limit}, the middle bytes go
     * out as one little-endian long whose excess bytes the column's next value overwrites. The
     * caller guarantees {@link #length(long)} bytes of room.
     */
    public static long write(final long address, final long xor, final long limit) {
        if (xor == 0) {
            UnsafeApi.putByte(address, (byte) REPEAT);
            return address + 1;
        }
        final int lead = Long.numberOfLeadingZeros(xor) >>> 3;
        final int trail = Long.numberOfTrailingZeros(xor) >>> 3;
        final int n = 8 - lead - trail;
        UnsafeApi.putByte(address, (byte) (lead << 4 | trail));
        long middle = xor >>> (trail << 3);
        if (address + 9 <= limit) {
            UnsafeApi.putLong(address + 1, middle);
            return address + 1 + n;
        }
        long a = address + 1;
        for (int k = n; k > 0; k--) {
            UnsafeApi.putByte(a++, (byte) middle);
            middle >>>= 8;
        }
        return a;
    }

    /**
     * Decodes a column of exactly {@code count} XOR-coded values filling {@code [from, to)} into
     * raw bits in {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
    public static int decodeColumn(final long from, final long to, final long[] out, final int at,
                                   final int count) {
        long i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            if (i >= to) {
                return -1;
            }
            final int header = UnsafeApi.getByte(i++) & 0xFF;
            if (header != REPEAT) {
                final int lead = header >>> 4;
                final int trail = header & 0x0F;
                final int n = 8 - lead - trail;
                if (lead > 7 || trail > 7 || n <= 0 || i + n > to) {
                    return -1;
                }
                long middle;
                if (i + 8 <= to) {
                    middle = UnsafeApi.getLong(i) & (-1L >>> ((8 - n) << 3));
                } else {
                    middle = 0;
                    for (int b = n - 1; b >= 0; b--) {
                        middle = (middle << 8) | (UnsafeApi.getByte(i + b) & 0xFFL);
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
