package io.runlog.store;

/**
 * FLOAT32 coding of a run's values (journal format version 4, value mode FLOAT32), for runs whose
 * every value is a float32 widened to double, as a harness logs {@code loss.item()} of a float32
 * tensor: the values' 32-bit float patterns {@code f}, each coded as the zigzag varint
 * ({@link VarLong}) of its difference from the previous one, {@code f[i] - f[i-1]} (32-bit
 * arithmetic, wrapping modulo 2^32; {@code f[-1] = 0}). A value is then
 * {@code (double) Float.intBitsToFloat(f)}.
 *
 * <p>Why differences of the float bits: a float's bits, read as an integer, grow with its
 * magnitude (across exponents too), so a curve moving by a small relative amount moves its bits
 * by a small integer: 3 bytes a value for a loss moving by 1% of its magnitude per step, where
 * {@link XorValue} needs 4 to 5 (the widened double's low 29 bits are zero, but the XOR's header
 * and the bytes where the patterns differ stay).
 *
 * <p>Eligibility, checked for every value before a run is written FLOAT32: the double's bits
 * must equal the widening of its narrowing, bit for bit, and it must not be a NaN (whose payload
 * a narrowing and widening may not keep). So infinities, -0.0 and float subnormals (normal as
 * doubles) qualify, and decoding gives back exactly the bits that were logged. Stateless;
 * thread-safe.
 */
final class Float32Value {
    /** {@link #floatBits} of a value that is not an exactly representable, non-NaN float32. */
    static final long NOT_FLOAT = Long.MIN_VALUE;
    /** Most bytes of one coded value: the zigzag of a 32-bit difference fits 5 varint bytes. */
    static final int MAX_LENGTH = 5;

    private Float32Value() {
    }

    /** The float32 bits (0 to 2^32 - 1 as an int's bits, sign-extended) of a double's raw bits, or {@link #NOT_FLOAT}. */
    static long floatBits(final long bits) {
        final float f = (float) Double.longBitsToDouble(bits);
        if (f != f || Double.doubleToRawLongBits(f) != bits) {
            return NOT_FLOAT;
        }
        return Float.floatToRawIntBits(f);
    }

    /** The code of float bits {@code f} after {@code previous}: the zigzag of their 32-bit difference. */
    static long code(final int f, final int previous) {
        return VarLong.zigzag(f - previous);
    }

    /** Whether float bits {@code f} are a NaN (never written in a FLOAT32 column). */
    static boolean isNan(final int f) {
        return (f & 0x7FFFFFFF) > 0x7F800000;
    }

    /** The raw bits of the double that float bits {@code f} widen to. */
    static long valueBits(final int f) {
        return Double.doubleToRawLongBits(Float.intBitsToFloat(f));
    }
}
