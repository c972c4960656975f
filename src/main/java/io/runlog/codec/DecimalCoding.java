package io.runlog.codec;

/**
 * ALP-style decimals (Afroozeh and Boncz, SIGMOD 2024), value mode {@link ValueMode#DECIMAL}: a
 * double that is a short decimal, as metrics read from logs or CSV files and Python floats such
 * as a learning rate of 0.0006 are, is the integer {@code d = rint(v * 10^e)} for a small
 * exponent {@code e}, and decodes as the correctly rounded division {@code (double) d / 10^e},
 * which yields exactly the double the decimal text parses to. The archive's
 * {@link ValueMode#DECIMAL_FLOAT} is the same for float32 values: {@code (float) ((double) d / 10^e)}.
 *
 * <p><b>One rounding rule</b>, for both formats: {@code d} is {@code v * 10^e} rounded half to
 * even ({@link Math#rint}; the ALP paper's fast rounding rounds the same way, and on x86 it is one
 * instruction). Which rule is used cannot change what a file decodes to: every mapping is
 * verified by decoding it ({@link #digits}, {@link #floatDigits}), and a value that does not come
 * back with exactly its bits is not mapped. The two rules differ only where {@code v * 10^e} is
 * exactly halfway between integers, at most one of which can decode to {@code v}.
 *
 * <p>-0.0, NaN, the infinities, subnormals and values needing more than {@link #MAX_EXPONENT}
 * decimals never map. Stateless; thread-safe.
 */
public final class DecimalCoding {
    /**
     * Largest exponent. Every power of ten up to 10^22 is exact as a double, so the decoder's
     * divisor is exact; 10^18 is the largest below 2^63, so at every exponent the value 1 (and
     * anything up to 9.2 at e = 18) still has its d in a long. Values needing more decimals
     * (1.5e-18, or anything below 5e-19) do not map.
     */
    public static final int MAX_EXPONENT = 18;
    /** Largest exponent of {@link ValueMode#DECIMAL_FLOAT} (a float32 has at most 9 significant digits). */
    public static final int MAX_FLOAT_EXPONENT = 10;
    /** Returned where a value has no exact decimal form (never a valid {@code d}). */
    public static final long NONE = Long.MIN_VALUE;
    /** Magnitudes up to 2^53 convert from long to double exactly. */
    private static final long EXACT = 1L << 53;
    private static final double[] POW10 = new double[MAX_EXPONENT + 1];
    /** Per k, the largest magnitude that can be multiplied by 10^k and stay at most 2^53. */
    private static final long[] RESCALE_LIMIT = new long[MAX_EXPONENT + 1];
    private static final long[] LONG_POW10 = new long[MAX_EXPONENT + 1];

    static {
        long p = 1;
        for (int e = 0; e <= MAX_EXPONENT; e++) {
            LONG_POW10[e] = p;
            POW10[e] = p; // exact: 10^e <= 10^18 < 2^63, and 10^e = 2^e * 5^e with 5^e < 2^53 for e <= 22
            RESCALE_LIMIT[e] = EXACT / p;
            p *= 10;
        }
    }

    private DecimalCoding() {
    }

    /** The rounding rule: {@code scaled} ({@code v * 10^e}) rounded half to even, saturated to a long. */
    private static long round(final double scaled) {
        return (long) Math.rint(scaled);
    }

    /**
     * The integer {@code d} such that {@code (double) d / 10^e} has exactly the raw bits
     * {@code bits}, or {@link #NONE} if there is none at exponent {@code e} (0 to
     * {@link #MAX_EXPONENT}). One multiplication, one rounding, one division.
     */
    public static long digits(final long bits, final int e) {
        final double p = POW10[e];
        final long d = round(Double.longBitsToDouble(bits) * p);
        return Double.doubleToRawLongBits((double) d / p) == bits && d != NONE ? d : NONE;
    }

    /**
     * The {@link ValueMode#DECIMAL_FLOAT} digits of a float32 value widened to double: the
     * {@code d} such that {@code (float) ((double) d / 10^e)}, widened, has exactly the raw bits
     * {@code bits}, or {@link #NONE} (also for a value that is no float32). {@code e} is 0 to
     * {@link #MAX_FLOAT_EXPONENT}.
     */
    public static long floatDigits(final long bits, final int e) {
        final double v = Double.longBitsToDouble(bits);
        if ((double) (float) v != v) {
            return NONE;
        }
        final double p = POW10[e];
        final long d = round(v * p);
        return Double.doubleToRawLongBits((float) ((double) d / p)) == bits && d != NONE ? d : NONE;
    }

    /**
     * The smallest exponent from {@code from} to {@link #MAX_EXPONENT} at which {@code bits} has
     * an exact decimal form ({@link #digits(long, int)}), or -1. Tries every exponent in the range;
     * NaN, infinities, -0.0 and subnormals fail at once.
     */
    public static int exponent(final long bits, final int from) {
        final long magnitude = bits & Long.MAX_VALUE;
        if (magnitude >= 0x7FF0000000000000L || magnitude < 0x0010000000000000L && bits != 0) {
            return -1; // NaN, infinity, subnormal or -0.0: no decimal decodes to them
        }
        for (int e = from; e <= MAX_EXPONENT; e++) {
            if (digits(bits, e) != NONE) {
                return e;
            }
        }
        return -1;
    }

    /**
     * {@code d * 10^k}: the digits at exponent {@code e + k} of the value whose digits at
     * {@code e} are {@code d}, or {@link #NONE} if the product exceeds 2^53 in magnitude. Exact
     * and safe: below 2^53 both {@code d} and the product convert to double exactly, so
     * {@code (double) (d * 10^k) / 10^(e+k)} and {@code (double) d / 10^e} are correctly rounded
     * quotients of the same rational number, hence the same double. {@code k = 0} returns
     * {@code d} unchanged, whatever its magnitude.
     */
    public static long rescale(final long d, final int k) {
        if (k == 0) {
            return d;
        }
        final long limit = RESCALE_LIMIT[k];
        return d <= limit && d >= -limit ? d * LONG_POW10[k] : NONE;
    }

    /** The raw bits of {@code (double) d / 10^e}: the value a DECIMAL code decodes to. */
    public static long decode(final long d, final int e) {
        return Double.doubleToRawLongBits((double) d / POW10[e]);
    }

    /** The raw bits of {@code (float) ((double) d / 10^e)} widened: the value a DECIMAL_FLOAT code decodes to. */
    public static long decodeFloat(final long d, final int e) {
        return Double.doubleToRawLongBits((float) ((double) d / POW10[e]));
    }

    /**
     * Decodes a journal DECIMAL column of exactly {@code count} values filling {@code [from, to)}:
     * zigzag varint deltas of the digits d, each value being {@code (double) d / 10^exponent},
     * into raw bits in {@code out[at .. at + count)}. The caller checked {@code exponent} is 0 to
     * {@link #MAX_EXPONENT}.
     *
     * @return -1 if the column is malformed, else 0
     */
    public static int decodeColumn(final long from, final long to, final long[] out, final int at,
                                   final int count, final int exponent) {
        if (VarInt.decodeDeltas(from, to, out, at, count) < 0) {
            return -1;
        }
        divide(out, at, count, POW10[exponent]);
        return 0;
    }

    /**
     * {@code out[i] = bits of ((double) out[i] / divisor)} over {@code [at, at + n)}: the decoding
     * of digits. Two loops, not one: C2 (JDK 17) vectorises the conversion and the division apart
     * and not fused (measured 2.2 against 5.1 ns a value); each value is computed exactly as the
     * fused expression computes it.
     */
    static void divide(final long[] out, final int at, final int n, final double divisor) {
        for (int k = at, end = at + n; k < end; k++) {
            out[k] = Double.doubleToRawLongBits((double) out[k]);
        }
        for (int k = at, end = at + n; k < end; k++) {
            out[k] = Double.doubleToRawLongBits(Double.longBitsToDouble(out[k]) / divisor);
        }
    }
}
