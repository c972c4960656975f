package io.runlog.store;

/**
 * BITS coding of a run's values (journal format version 3, value mode BITS): the raw IEEE 754 bits
 * as 64-bit integers, each coded as the zigzag varint ({@link VarLong}) of its second difference,
 * {@code (b[i] - b[i-1]) - (b[i-1] - b[i-2])} (with {@code b[-1] = b[-2] = 0}, wrapping modulo
 * 2^64). A smooth full-precision curve (a schedule computed in double, {@code step * 1e-3}, an
 * exponential moving average) moves its bits by a nearly constant amount from value to value
 * while its exponent stays, so the second differences are a few units: one or two bytes a value
 * where {@link XorValue} needs 7 to 8. Every bit pattern round-trips (no exceptions). Stateless;
 * thread-safe.
 */
final class BitsValue {
    private BitsValue() {
    }

    /** The code of {@code bits} after {@code previous} and the difference before it: zigzag of the second difference. */
    static long code(final long bits, final long previous, final long previousDifference) {
        return VarLong.zigzag(bits - previous - previousDifference);
    }
}
