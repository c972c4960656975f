package io.runlog.store;

import org.agrona.UnsafeApi;

/**
 * Decodes one metric's run of a POINT_BATCH record into primitive arrays: delta-coded steps and
 * timestamps, and values in any coding ({@link XorValue}, {@link DecimalValue}, {@link BitsValue}, {@link Float32Value}). Reads raw memory at
 * {@code base + i} only for {@code i} in {@code [from, to)}, a range the caller has checked lies
 * inside the record; within it every bound is checked:
 * a varint that runs past its column, or a column that does not end exactly after its count of
 * values, is reported as corruption (the returned offset is negative) rather than read on.
 */
final class PointRunDecoder {
    private PointRunDecoder() {
    }

    /**
     * Decodes a column of {@code count} zigzag varint deltas in {@code [from, to)} of {@code in}
     * into {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
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
            if (first < 0) { // a varint of two or more bytes (one byte: a step or a few milliseconds)
                z &= 0x7F;
                int shift = 7;
                while (true) {
                    if (i >= to || shift > 63) {
                        return -1;
                    }
                    final byte b = UnsafeApi.getByte(base + i++);
                    if (shift == 63 && (b & 0x7E) != 0) {
                        return -1; // a tenth byte holds only bit 63: anything more is not a 64-bit code
                    }
                    z |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                    shift += 7;
                }
            }
            previous += VarLong.unzigzag(z);
            out[at + k] = previous;
        }
        return i == to ? 0 : -1;
    }

    /**
     * Decodes a DECIMAL column ({@link DecimalValue}) in {@code [from, to)}: {@code count} zigzag
     * varint deltas of the digits d, each value being {@code (double) d / 10^exponent}, into raw
     * bits in {@code out[at .. at + count)}. The caller checked {@code exponent} is 0 to
     * {@link DecimalValue#MAX_EXPONENT}.
     *
     * @return -1 if the column is malformed, else 0
     */
    static int decodeDecimals(final long base, final int from, final int to, final long[] out, final int at,
                              final int count, final int exponent) {
        if (decodeDeltas(base, from, to, out, at, count) < 0) {
            return -1;
        }
        final double scale = DecimalValue.scale(exponent);
        for (int k = at, end = at + count; k < end; k++) {
            out[k] = Double.doubleToRawLongBits((double) out[k] / scale);
        }
        return 0;
    }

    /**
     * Decodes a BITS column ({@link BitsValue}) in {@code [from, to)}: {@code count} zigzag varints
     * of the second differences of the raw bits, into raw bits in {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
    static int decodeBits(final long base, final int from, final int to, final long[] out, final int at,
                          final int count) {
        if (decodeDeltas(base, from, to, out, at, count) < 0) { // the first differences
            return -1;
        }
        long bits = 0;
        for (int k = at, end = at + count; k < end; k++) {
            bits += out[k];
            out[k] = bits;
        }
        return 0;
    }

    /**
     * Decodes a FLOAT32 column ({@link Float32Value}) in {@code [from, to)}: {@code count} zigzag
     * varints of the 32-bit differences of the float bits, into the raw bits of the widened
     * values in {@code out[at .. at + count)}. A difference beyond 32 bits, or float bits that
     * are a NaN (never written), is malformed.
     *
     * @return -1 if the column is malformed, else 0
     */
    static int decodeFloat32(final long base, final int from, final int to, final long[] out, final int at,
                             final int count) {
        if (decodeDeltas(base, from, to, out, at, count) < 0) { // running sums of the differences
            return -1;
        }
        long previous = 0;
        for (int k = at, end = at + count; k < end; k++) {
            final long sum = out[k];
            final long difference = sum - previous;
            previous = sum;
            if (difference != (int) difference || Float32Value.isNan((int) sum)) {
                return -1;
            }
            out[k] = Float32Value.valueBits((int) sum);
        }
        return 0;
    }

    /**
     * Decodes a column of {@code count} XOR-coded values ({@link XorValue}) in {@code [from, to)}
     * into raw bits in {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
    static int decodeValues(final long base, final int from, final int to, final long[] out, final int at,
                            final int count) {
        int i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            if (i >= to) {
                return -1;
            }
            final int header = UnsafeApi.getByte(base + i++) & 0xFF;
            if (header != XorValue.REPEAT) {
                final int lead = header >>> 4;
                final int trail = header & 0x0F;
                final int n = 8 - lead - trail;
                if (lead > 7 || trail > 7 || n <= 0 || i + n > to) {
                    return -1;
                }
                long middle;
                if (i + 8 <= to) {
                    middle = UnsafeApi.getLong(base + i) & (-1L >>> ((8 - n) << 3)); // little-endian platform
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
