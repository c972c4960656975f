package io.runlog.store;

import org.agrona.UnsafeApi;

/**
 * Zigzag LEB128 integers: a signed 64-bit value {@code v} is mapped to {@code (v << 1) ^ (v >> 63)}
 * (small magnitudes, either sign, become small numbers), then written 7 bits per byte, low bits
 * first, the high bit of each byte set when more bytes follow. 1 to 10 bytes per value.
 */
final class VarLong {
    static final int MAX_LENGTH = 10;

    private VarLong() {
    }

    static long zigzag(final long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(final long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** Bytes of the encoding of zigzag value {@code z}. */
    static int length(final long z) {
        return (63 - Long.numberOfLeadingZeros(z | 1)) / 7 + 1;
    }

    /**
     * Writes zigzag value {@code z} at raw address {@code address}; returns the address after it.
     * The caller guarantees {@link #length(long)} bytes of room.
     */
    static long write(final long address, final long z) {
        long a = address;
        long v = z;
        while ((v & ~0x7FL) != 0) {
            UnsafeApi.putByte(a++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        UnsafeApi.putByte(a++, (byte) v);
        return a;
    }
}
