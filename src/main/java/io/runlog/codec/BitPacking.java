package io.runlog.codec;

import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * The one implementation of the fixed-width bit layout that the archive's integer column and the
 * journal's frame-packed columns share (docs/format/codec.md, "Bit packing"): {@code n} unsigned
 * values of {@code width} bits (0..64), LSB first, value {@code k} occupying bits
 * {@code [k*width, (k+1)*width)} of the packed area, bit {@code b} of the area being bit
 * {@code b mod 8} of byte {@code b / 8}; exactly {@link #packedBytes} bytes, unused high bits of
 * the last byte 0. Width 0 takes no bytes.
 *
 * <p>Memory is addressed as {@code Unsafe} does ({@code (null, address)} or
 * {@code (byte[], VarInt.BYTE_ARRAY_BASE + index)}). {@link #pack} writes exactly
 * {@link #packedBytes} bytes at the offset, nothing after them (the caller guarantees that room);
 * {@link #unpack} reads nothing at or beyond its {@code limit}. Neither has a branch per value in
 * its main loop: the packer stores one 64-bit word per value unconditionally (the word it is
 * filling) and moves on with arithmetic, the unpacker loads one unaligned word per value and
 * shifts and masks; only the last few values before the end take a byte-wise path. Stateless,
 * allocation-free, thread-safe.
 */
public final class BitPacking {
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private BitPacking() {
    }

    /** Bytes of {@code n} packed values of {@code width} bits: {@code ceil(n * width / 8)}. */
    public static long packedBytes(final int n, final int width) {
        return ((long) n * width + 7) >>> 3;
    }

    /** The bit width of unsigned {@code v}: 0 for 0, else 64 - leading zeros. */
    public static int width(final long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    private static long getLong(final Object base, final long offset) {
        final long w = UnsafeApi.getLong(base, offset);
        return BIG_ENDIAN ? Long.reverseBytes(w) : w;
    }

    private static void putLong(final Object base, final long offset, final long w) {
        UnsafeApi.putLong(base, offset, BIG_ENDIAN ? Long.reverseBytes(w) : w);
    }

    /**
     * Packs {@code v[from .. from + n) - min} at {@code width} bits each at {@code (base, offset)}.
     * Each {@code v[i] - min} (wrapping) must be below {@code 2^width} as an unsigned number (the
     * caller computed {@code width} from the frame's range); higher bits would corrupt the
     * neighbours.
     *
     * @return the offset after the {@link #packedBytes} bytes written
     */
    public static long pack(final long[] v, final int from, final int n, final int width, final long min,
                            final Object base, final long offset) {
        return packResiduals(v, from, n, 0, width, min, base, offset);
    }

    /**
     * {@link #pack} of the residuals of order {@code order} (0: {@code v[i]}; 1:
     * {@code v[i] - v[i-1]}; 2: {@code v[i] - 2 v[i-1] + v[i-2]}, wrapping) of
     * {@code v[from .. from + n)}, computed on the fly: {@code v[from - order]} and on must exist.
     * Each residual minus {@code min} must be below {@code 2^width}.
     *
     * @return the offset after the {@link #packedBytes} bytes written
     */
    public static long packResiduals(final long[] v, final int from, final int n, final int order, final int width,
                                     final long min, final Object base, final long offset) {
        // r = v[i] - a v[i - s1] + b v[i - s2]: one loop for every order, no branch in it
        final long a = order == 0 ? 0 : order;
        final long b = order == 2 ? 1 : 0;
        final int s1 = Math.min(order, 1);
        final int s2 = order;
        if (width == 0 || n == 0) {
            return offset;
        }
        final long bytes = packedBytes(n, width);
        final long fullWords = bytes >>> 3;
        // values whose word (the one they start in) is a whole word of the area: stored as words
        final int fast = fullWords == 0 ? 0 : (int) Math.min(n, (fullWords * 64 - 1) / width + 1);
        long p = offset;
        long acc = 0;
        int bits = 0;
        for (int i = from, end = from + fast; i < end; i++) {
            final long x = v[i] - a * v[i - s1] + b * v[i - s2] - min;
            acc |= x << bits;
            putLong(base, p, acc); // the word being filled, complete or not: rewritten until it is
            final int total = bits + width;
            final long full = -(long) (total >>> 6); // all ones if the word is complete
            p += full & 8;
            acc = (acc & ~full) | (((x >>> 1) >>> (63 - bits)) & full); // the bits of x that spilled over
            bits = total & 63;
        }
        // the rest lies in the last partial word (fewer than 64 bits): accumulate, then store bytes
        for (int i = from + fast, end = from + n; i < end; i++) {
            acc |= (v[i] - a * v[i - s1] + b * v[i - s2] - min) << bits;
            bits += width;
        }
        final long stop = offset + bytes;
        for (long q = p; q < stop; q++) {
            UnsafeApi.putByte(base, q, (byte) acc);
            acc >>>= 8;
        }
        return stop;
    }

    /**
     * Unpacks {@code n} values of {@code width} bits at {@code (base, offset)}, each plus
     * {@code min} (wrapping), into {@code out[at .. at + n)}.
     *
     * @return the offset after the packed bytes, {@link CodecStatus#PAST_END} if they run past
     *     {@code limit}, or {@link CodecStatus#BAD_WIDTH} if {@code width} is not 0..64 (then
     *     {@code out} is unchanged)
     */
    public static long unpack(final Object base, final long offset, final long limit, final int n, final int width,
                              final long min, final long[] out, final int at) {
        if (width < 0 || width > 64) {
            return CodecStatus.BAD_WIDTH;
        }
        final long bytes = packedBytes(n, width);
        if (bytes > limit - offset) {
            return CodecStatus.PAST_END;
        }
        if (width == 0) {
            for (int i = at, end = at + n; i < end; i++) {
                out[i] = min;
            }
            return offset;
        }
        final long available = limit - offset;
        final long mask = -1L >>> (64 - width);
        int fast;
        if (width <= 57) { // one unaligned word from the value's first byte holds all of it
            fast = available < 8 ? 0 : (int) Math.min(n, ((available - 8) * 8 + 7) / width + 1);
            for (int i = 0; i < fast; i++) {
                final long bit = (long) i * width;
                out[at + i] = ((getLong(base, offset + (bit >>> 3)) >>> (bit & 7)) & mask) + min;
            }
        } else { // two aligned words of the area, the second shifted in branch-free
            fast = available < 16 ? 0 : (int) Math.min(n, (((available - 16) >>> 3) * 64 + 63) / width + 1);
            for (int i = 0; i < fast; i++) {
                final long bit = (long) i * width;
                final long word = offset + ((bit >>> 6) << 3);
                final int shift = (int) (bit & 63);
                final long lo = getLong(base, word) >>> shift;
                final long hi = (getLong(base, word + 8) << 1) << (63 - shift);
                out[at + i] = ((lo | hi) & mask) + min;
            }
        }
        for (int i = fast; i < n; i++) { // the last values, within a word of the end: byte by byte
            final long bit = (long) i * width;
            final long first = offset + (bit >>> 3);
            final long last = offset + ((bit + width - 1) >>> 3);
            long w = 0;
            for (long q = last; q > first; q--) { // bytes above the first, at most 8 of them
                w = (w << 8) | (UnsafeApi.getByte(base, q) & 0xFF);
            }
            final int shift = (int) (bit & 7);
            final long lowByte = (UnsafeApi.getByte(base, first) & 0xFF) >>> shift;
            out[at + i] = ((((w << 1) << (7 - shift)) | lowByte) & mask) + min;
        }
        return offset + bytes;
    }
}
