package io.runlog.codec;

/**
 * The journal's BITS value column (value mode {@link ValueMode#BITS}): the raw IEEE 754 bits as
 * 64-bit integers, each coded as the zigzag varint ({@link VarInt}) of its second difference,
 * {@code (b[i] - b[i-1]) - (b[i-1] - b[i-2])} (with {@code b[-1] = b[-2] = 0}, wrapping modulo
 * 2^64). A smooth full-precision curve (a schedule computed in double, {@code step * 1e-3}, an
 * exponential moving average) moves its bits by a nearly constant amount from value to value
 * while its exponent stays, so the second differences are a few units: one or two bytes a value
 * where {@link XorCoding} needs 7 to 8. Every bit pattern round-trips (no exceptions). The
 * archive's BITS mode maps the same integers and packs them with its integer column. Stateless;
 * thread-safe.
 */
public final class BitsCoding {
    private BitsCoding() {
    }

    /** The code of {@code bits} after {@code previous} and the difference before it: zigzag of the second difference. */
    public static long code(final long bits, final long previous, final long previousDifference) {
        return VarInt.zigzag(bits - previous - previousDifference);
    }

    /**
     * Decodes a BITS column of exactly {@code count} values filling {@code [from, to)} into raw
     * bits in {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
    public static int decodeColumn(final long from, final long to, final long[] out, final int at,
                                   final int count) {
        if (VarInt.decodeDeltas(from, to, out, at, count) < 0) { // the first differences
            return -1;
        }
        long bits = 0;
        for (int k = at, end = at + count; k < end; k++) {
            bits += out[k];
            out[k] = bits;
        }
        return 0;
    }
}
