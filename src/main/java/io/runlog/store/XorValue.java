package io.runlog.store;

import org.agrona.UnsafeApi;

/**
 * Lossless coding of a double's raw bits against the previous value of the same column: the XOR
 * of the two bit patterns, without its zero bytes at either end. Consecutive values of a training
 * curve share sign, exponent and leading mantissa bits, and float32 values widened to double end
 * in zero bytes, so a value takes 5 to 6 bytes instead of 8 on real curves.
 *
 * <pre>
 * header byte h, then 8 - lead - trail bytes of (xor >>> 8 * trail), little-endian:
 *   h = 0xFF                         xor == 0: the value repeats, no more bytes
 *   h = lead << 4 | trail            lead = leading zero bytes (0..7), trail = trailing zero bytes (0..7)
 * </pre>
 * A value takes 1 to 9 bytes. Any bit pattern (NaN payloads included) round-trips.
 */
final class XorValue {
    static final int MAX_LENGTH = 9;
    static final int REPEAT = 0xFF;

    private XorValue() {
    }

    /** Bytes to code {@code xor} (the XOR of a value's bits with the previous value's). */
    static int length(final long xor) {
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
    static long write(final long address, final long xor, final long limit) {
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
            UnsafeApi.putLong(address + 1, middle); // little-endian platform (checked at store open)
            return address + 1 + n;
        }
        long a = address + 1;
        for (int k = n; k > 0; k--) {
            UnsafeApi.putByte(a++, (byte) middle);
            middle >>>= 8;
        }
        return a;
    }
}
