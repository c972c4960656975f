package io.runlog.store;

/**
 * Decimal coding of a run's values (journal format version 3, value mode DECIMAL), after ALP
 * (Afroozeh and Boncz, SIGMOD 2024). A double that is a short decimal, as metrics read from logs
 * or CSV files and Python floats such as a learning rate of 0.0006 are, is the integer
 * {@code d = rint(v * 10^e)} for a small exponent {@code e}, and decodes as the correctly rounded
 * division {@code (double) d / 10^e}, which yields exactly the double the decimal text parses to.
 * A run's values are then the zigzag varint deltas of their {@code d} (the first against 0): a
 * curve's consecutive values differ in their last digits, so a value takes 1 to 3 bytes where
 * {@link XorValue} needs 5 to 6.
 *
 * <p>Bit-exactness is never assumed: {@link #digits(long, int)} decodes what it encodes and refuses
 * a value that does not come back with exactly its bits. -0.0, NaN, the infinities, subnormals and
 * values needing more than {@link #MAX_EXPONENT} decimals never do; a run holding one is XOR-coded.
 * Stateless; thread-safe.
 */
final class DecimalValue {
    /**
     * Largest exponent. Every power of ten up to 10^22 is exact as a double, so the decoder's
     * divisor is exact; 10^18 is the largest below 2^63, so at every exponent the value 1 (and
     * anything up to 9.2 at e = 18) still has its d in a long. Same bound as the archive's DECIMAL
     * mode; values needing more decimals (1.5e-18, or anything below 5e-19) are XOR-coded.
     */
    static final int MAX_EXPONENT = 18;
    /** Returned where a value has no exact decimal form (never a valid {@code d}). */
    static final long NONE = Long.MIN_VALUE;
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

    private DecimalValue() {
    }

    /**
     * The integer {@code d} such that {@code (double) d / 10^e} has exactly the raw bits
     * {@code bits}, or {@link #NONE} if there is none at exponent {@code e} (0 to
     * {@link #MAX_EXPONENT}). One multiplication, one rounding, one division.
     */
    static long digits(final long bits, final int e) {
        final double p = POW10[e];
        final long d = (long) Math.rint(Double.longBitsToDouble(bits) * p);
        return Double.doubleToRawLongBits((double) d / p) == bits && d != NONE ? d : NONE;
    }

    /**
     * The smallest exponent from {@code from} to {@link #MAX_EXPONENT} at which {@code bits} has
     * an exact decimal form ({@link #digits(long, int)}), or -1. Tries every exponent in the range
     * (a value needing more decimals than a run had so far raises the run's exponent, which happens
     * at most {@link #MAX_EXPONENT} times a run); NaN, infinities, -0.0 and subnormals fail at once.
     */
    static int exponent(final long bits, final int from) {
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
    static long rescale(final long d, final int k) {
        if (k == 0) {
            return d;
        }
        final long limit = RESCALE_LIMIT[k];
        return d <= limit && d >= -limit ? d * LONG_POW10[k] : NONE;
    }

    /** The raw bits of {@code (double) d / 10^e}: the value a DECIMAL code decodes to. */
    static long decode(final long d, final int e) {
        return Double.doubleToRawLongBits((double) d / POW10[e]);
    }

    /** 10^e as a double (exact), for a decoder dividing a column of codes by one exponent. */
    static double scale(final int e) {
        return POW10[e];
    }
}
