package io.runlog.codec;

/**
 * Frame-packed float32 column (docs/format/codec.md, "Float32"): the 32-bit patterns {@code f}
 * of values that are float32s widened to double ({@link Float32Coding#floatBits}, sign-extended
 * to 64 bits), coded by {@link FrameColumn} (the writer picks the order: for a noisy curve
 * usually the patterns themselves, for a smooth one their differences). Decodes to the raw bits of
 * the widened values; a pattern beyond 32 bits or a NaN (never written) is
 * {@link CodecStatus#BAD_VALUE}, checked in one branch-free pass. Stateless, allocation-free,
 * thread-safe.
 */
public final class Float32Frames {
    private Float32Frames() {
    }

    /** Most bytes {@link #encode} writes for {@code n} values. */
    public static long maxLength(final int n) {
        return FrameColumn.maxLength(n);
    }

    /**
     * Encodes the float patterns {@code f[from .. from + n)} (each an int sign-extended, as
     * {@link Float32Coding#floatBits} returns, none a NaN) at {@code (base, offset)}.
     *
     * @return the offset after the column
     */
    public static long encode(final long[] f, final int from, final int n, final Object base, final long offset) {
        return FrameColumn.encode(f, from, n, base, offset);
    }

    /**
     * Decodes a column of exactly {@code n} values into the raw bits of the widened doubles in
     * {@code out[at .. at + n)}, reading nothing at or past {@code limit}.
     *
     * @return the offset after the column, or a {@link CodecStatus} error code
     */
    public static long decode(final Object base, final long offset, final long limit, final int n,
                              final long[] out, final int at) {
        final long end = FrameColumn.decode(base, offset, limit, n, out, at);
        if (end < 0) {
            return end;
        }
        long bad = 0;
        for (int i = at, stop = at + n; i < stop; i++) {
            final long f = out[i];
            final int v = (int) f;
            bad |= (f ^ v) | ((0x7F800000L - (v & 0x7FFFFFFF)) >>> 63); // beyond 32 bits, or a NaN
            out[i] = Double.doubleToRawLongBits(Float.intBitsToFloat(v));
        }
        return bad != 0 ? CodecStatus.BAD_VALUE : end;
    }
}
