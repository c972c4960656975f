package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * LEB128 varints and zigzag, the integer coding of both formats. A varint is an unsigned 64-bit
 * value written 7 bits a byte, least significant group first, the high bit (0x80) set on every
 * byte but the last: 1 to {@link #MAX_LENGTH} bytes, the 10th holding only bit 63 (so it is 0 or
 * 1). Writers use the shortest form; {@link #read} accepts longer ones. Zigzag maps a signed value
 * {@code v} to {@code (v << 1) ^ (v >> 63)}, so small magnitudes of either sign become small
 * varints.
 *
 * <p>Memory is addressed as {@code Unsafe} addresses it: {@code (null, address)} for mapped or
 * direct memory (the journal), {@code (array, BYTE_ARRAY_BASE + index)} for a {@code byte[]} (the
 * archive). The caller guarantees room for a write ({@link #length} bytes); reads check every
 * byte against their limit. Stateless; thread-safe.
 */
public final class VarInt {
    /** Most bytes of one varint. */
    public static final int MAX_LENGTH = 10;
    /** Offset of a {@code byte[]}'s first element, for the {@code (Object, long)} methods. */
    public static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    /** {@link #read}: the varint runs past its limit. */
    public static final long PAST_END = -1;
    /** {@link #read}: the 10th byte holds more than bit 63 (no 64-bit value is coded so). */
    public static final long OVERFLOW = -2;

    private VarInt() {
    }

    public static long zigzag(final long v) {
        return (v << 1) ^ (v >> 63);
    }

    public static long unzigzag(final long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** Bytes of the (shortest) varint of unsigned {@code v}. */
    public static int length(final long v) {
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    /** Writes the varint of unsigned {@code v} at {@code (base, offset)}; returns the offset after it. */
    public static long write(final Object base, final long offset, final long v) {
        long a = offset;
        long x = v;
        while ((x & ~0x7FL) != 0) {
            UnsafeApi.putByte(base, a++, (byte) ((x & 0x7F) | 0x80));
            x >>>= 7;
        }
        UnsafeApi.putByte(base, a++, (byte) x);
        return a;
    }

    /** {@link #write(Object, long, long)} at a raw address. */
    public static long write(final long address, final long v) {
        return write(null, address, v);
    }

    /**
     * Reads one varint at {@code (base, offset)}, within {@code [offset, limit)}, into
     * {@code out[at]}.
     *
     * @return the offset after it, or {@link #PAST_END} or {@link #OVERFLOW} (then {@code out[at]}
     *     is unchanged)
     */
    public static long read(final Object base, final long offset, final long limit, final long[] out, final int at) {
        long i = offset;
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (i >= limit) {
                return PAST_END;
            }
            final byte b = UnsafeApi.getByte(base, i++);
            if (shift == 63 && (b & 0xFE) != 0) {
                return OVERFLOW;
            }
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                out[at] = v;
                return i;
            }
        }
    }

    /**
     * Decodes a column of exactly {@code count} zigzag varint deltas filling {@code [from, to)}
     * (the first against 0) into their running sums, {@code out[at .. at + count)}: the journal's
     * step and timestamp columns, and the first stage of its DECIMAL, BITS and FLOAT32 columns.
     *
     * @return -1 if the column is malformed (a varint runs past {@code to} or overflows, or the
     *     column does not end exactly at {@code to}), else 0
     */
    public static int decodeDeltas(final long from, final long to, final long[] out, final int at,
                                   final int count) {
        long i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            if (i >= to) {
                return -1;
            }
            final byte first = UnsafeApi.getByte(i++);
            long z = first;
            if (first < 0) { // two or more bytes (one byte: a step, a few milliseconds, a small digit delta)
                z &= 0x7F;
                int shift = 7;
                while (true) { // the continuation inline, in a register: no round trip through out[]
                    if (i >= to) {
                        return -1;
                    }
                    final byte b = UnsafeApi.getByte(i++);
                    if (shift == 63 && (b & 0xFE) != 0) {
                        return -1; // a tenth byte holds only bit 63: anything more is not a 64-bit code
                    }
                    z |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                    shift += 7; // never past 63: at 63 the check above leaves only a final byte
                }
            }
            previous += unzigzag(z);
            out[at + k] = previous;
        }
        return i == to ? 0 : -1;
    }
}
