package io.runlog.cli;

import io.runlog.internal.Names;

import java.util.Locale;

/**
 * Text for doubles that parses back to the same bits, NaN payloads included.
 *
 * <ul>
 *   <li>finite values and the infinities: {@link Double#toString(double)} ({@code 1.5},
 *       {@code -0.0}, {@code 4.9E-324}, {@code Infinity}, {@code -Infinity});</li>
 *   <li>the canonical NaN ({@code 0x7ff8000000000000}): {@code NaN};</li>
 *   <li>any other NaN bit pattern: {@code NaN:0x} and the 16 lower-case hex digits of its raw
 *       bits, e.g. {@code NaN:0x7ff80000deadbeef}.</li>
 * </ul>
 *
 * {@link #parseBits(String)} reads all of these, the spellings {@code nan}, {@code inf},
 * {@code +inf}, {@code -inf}, {@code infinity} in any case, and ordinary decimal numbers
 * ({@code 12}, {@code -0.5}, {@code .5}, {@code 1e-3}, {@code 6.02E23}). Decimal text is rounded
 * to the nearest double, as {@link Double#parseDouble(String)} does, except that a decimal whose
 * magnitude overflows to infinity ({@code 1e999}) or a non-zero one that underflows to zero
 * ({@code 1e-400}) is refused: the value would not be the one written. The words ({@code inf},
 * {@code Infinity}, ...) name the infinities; subnormal results ({@code 1e-310}) are kept.
 */
public final class DoubleText {
    /** The bits of {@link Double#NaN}, written as plain {@code NaN}. */
    public static final long CANONICAL_NAN_BITS = 0x7ff8000000000000L;

    private static final String NAN_PREFIX = "NaN:0x";

    private DoubleText() {
    }

    /** The text of a value; see the class comment. */
    public static String format(final double value) {
        return formatBits(Double.doubleToRawLongBits(value));
    }

    /** The text of a value given as its raw IEEE 754 bits; see the class comment. */
    public static String formatBits(final long bits) {
        if (isNaN(bits)) {
            if (bits == CANONICAL_NAN_BITS) {
                return "NaN";
            }
            final String hex = Long.toHexString(bits);
            return NAN_PREFIX + "0".repeat(16 - hex.length()) + hex;
        }
        return Double.toString(Double.longBitsToDouble(bits));
    }

    /**
     * The value of a text, as a double. Prefer {@link #parseBits(String)} where the NaN payload
     * matters: the platform may in principle quiet a signalling NaN held in a {@code double}.
     */
    public static double parse(final String text) {
        return Double.longBitsToDouble(parseBits(text));
    }

    /**
     * The raw bits of the value a text names.
     *
     * @throws NumberFormatException if the text is none of the accepted forms; the message says
     *                               which forms are accepted
     */
    public static long parseBits(final String text) {
        if (text == null || text.isEmpty()) {
            throw new NumberFormatException("empty value");
        }
        if (text.length() > NAN_PREFIX.length() && text.regionMatches(true, 0, NAN_PREFIX, 0, NAN_PREFIX.length())) {
            return parseNaNBits(text);
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "nan":
                return CANONICAL_NAN_BITS;
            case "inf": case "+inf": case "infinity": case "+infinity":
                return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
            case "-inf": case "-infinity":
                return Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);
            default:
                break;
        }
        if (!isDecimal(text)) {
            throw notANumber(text);
        }
        final double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw new NumberFormatException("'" + Names.preview(text) + "' overflows a double (its magnitude is above "
                + Double.MAX_VALUE + "); write inf or -inf for an infinite value");
        }
        if (value == 0 && hasNonZeroDigit(text)) {
            throw new NumberFormatException("'" + Names.preview(text) + "' underflows a double to zero (its magnitude is"
                + " below " + Double.MIN_VALUE + "); write 0 for zero");
        }
        return Double.doubleToRawLongBits(value);
    }

    /** True if a digit of the significand (before any exponent) is not 0. */
    private static boolean hasNonZeroDigit(final String decimal) {
        for (int i = 0; i < decimal.length(); i++) {
            final char c = decimal.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static long parseNaNBits(final String text) {
        final int digits = text.length() - NAN_PREFIX.length();
        if (digits != 16) {
            throw new NumberFormatException("'" + text + "' needs exactly 16 hex digits after NaN:0x, found " + digits);
        }
        long bits = 0;
        for (int i = NAN_PREFIX.length(); i < text.length(); i++) {
            final int d = Character.digit(text.charAt(i), 16);
            if (d < 0) {
                throw notANumber(text);
            }
            bits = (bits << 4) | d;
        }
        if (!isNaN(bits)) {
            throw new NumberFormatException("'" + text + "' is not a NaN bit pattern (exponent all ones, mantissa not zero);"
                + " write other values in decimal");
        }
        return bits;
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, nothing else. */
    private static boolean isDecimal(final String s) {
        int i = 0;
        final int n = s.length();
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i++;
        }
        final int intStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        boolean digits = i > intStart;
        if (i < n && s.charAt(i) == '.') {
            i++;
            final int fracStart = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            digits |= i > fracStart;
        }
        if (!digits) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            final int expStart = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == expStart) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNaN(final long bits) {
        return (bits & 0x7ff0000000000000L) == 0x7ff0000000000000L && (bits & 0x000fffffffffffffL) != 0;
    }

    private static NumberFormatException notANumber(final String text) {
        return new NumberFormatException("'" + Names.preview(text) + "' is not a number"
            + " (write a decimal number, NaN, Infinity, -Infinity, inf, -inf or NaN:0x<16 hex digits>)");
    }
}
