package io.runlog.codec;

/**
 * The float32 mapping (value mode {@link ValueMode#FLOAT32}), for values that are float32s
 * widened to double, as a harness logs {@code loss.item()} of a float32 tensor: a value maps to
 * its 32-bit float pattern {@code f} and decodes as {@code (double) Float.intBitsToFloat(f)}.
 *
 * <p>Eligibility ({@link #floatBits}), the same in both formats: the double's bits must equal the
 * widening of its narrowing, bit for bit, and it must not be a NaN, whose payload a narrowing
 * and widening is not specified to keep on every platform (so a NaN is an XOR value in the
 * journal, an exception in the archive). Infinities, -0.0 and float subnormals (normal as
 * doubles) qualify, and decoding gives back exactly the bits that were logged.
 *
 * <p>The journal's FLOAT32 column codes each {@code f} as the zigzag varint ({@link VarInt}) of
 * its difference from the previous one, {@code f[i] - f[i-1]} (32-bit arithmetic, wrapping;
 * {@code f[-1] = 0}): a float's bits, read as an integer, grow with its magnitude (across
 * exponents too), so a curve moving by a small relative amount moves its bits by a small integer,
 * 3 bytes a value for a loss moving by 1% a step where {@link XorCoding} needs 4 to 5. The
 * archive packs the same {@code f} with its integer column. Stateless; thread-safe.
 */
public final class Float32Coding {
    /** {@link #floatBits} of a value that is not an exactly representable, non-NaN float32. */
    public static final long NOT_FLOAT = Long.MIN_VALUE;
    /** Most bytes of one journal FLOAT32 value: the zigzag of a 32-bit difference fits 5 varint bytes. */
    public static final int MAX_LENGTH = 5;

    private Float32Coding() {
    }

    /** The float32 bits (an int's bits, sign-extended) of a double's raw bits, or {@link #NOT_FLOAT}. */
    public static long floatBits(final long bits) {
        final float f = (float) Double.longBitsToDouble(bits);
        if (f != f || Double.doubleToRawLongBits(f) != bits) {
            return NOT_FLOAT;
        }
        return Float.floatToRawIntBits(f);
    }

    /** Whether float bits {@code f} are a NaN (never written by a FLOAT32 mapping). */
    public static boolean isNan(final int f) {
        return (f & 0x7FFFFFFF) > 0x7F800000;
    }

    /** The raw bits of the double that float bits {@code f} widen to: the decoding. */
    public static long valueBits(final int f) {
        return Double.doubleToRawLongBits(Float.intBitsToFloat(f));
    }

    /** The journal code of float bits {@code f} after {@code previous}: the zigzag of their 32-bit difference. */
    public static long code(final int f, final int previous) {
        return VarInt.zigzag(f - previous);
    }

    /**
     * Decodes a journal FLOAT32 column of exactly {@code count} values filling {@code [from, to)}
     * into the raw bits of the widened values in {@code out[at .. at + count)}. A difference
     * beyond 32 bits, or float bits that are a NaN (never written), is malformed.
     *
     * @return -1 if the column is malformed, else 0
     */
    public static int decodeColumn(final long from, final long to, final long[] out, final int at,
                                   final int count) {
        if (VarInt.decodeDeltas(from, to, out, at, count) < 0) { // running sums of the differences
            return -1;
        }
        long previous = 0;
        for (int k = at, end = at + count; k < end; k++) {
            final long sum = out[k];
            final long difference = sum - previous;
            previous = sum;
            if (difference != (int) difference || isNan((int) sum)) {
                return -1;
            }
            out[k] = valueBits((int) sum);
        }
        return 0;
    }
}
