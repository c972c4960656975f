package io.runlog.codec;

/**
 * Layout of an ALP column's fixed header ({@link AlpCoding}; docs/format/codec.md, "ALP"):
 *
 * <pre>
 *  0      1      2
 * +------+------+---------------------------------------------------------------+
 * |  e   |  f   | varint x | x * (varint gap, u64 raw bits) | integer column    |
 * +------+------+---------------------------------------------------------------+
 *  u8 exponent   exceptions, positions gap-coded             of n digits d
 *         u8 factor                                          ({@link FrameColumn})
 * </pre>
 *
 * Value {@code i} is {@code (double) (d[i] * 10^f) / 10^e}; an exception's slot holds the digit
 * before it (0 at the start) and its raw bits replace the decoded value.
 */
public final class AlpDescriptor {
    /** u8: the exponent e, 0..{@link DecimalCoding#MAX_EXPONENT}. */
    public static final int EXPONENT = 0;
    /** u8: the factor f, 0..e. */
    public static final int FACTOR = 1;
    /** The fixed header's length; the exception count (a varint) starts here. */
    public static final int HEADER_LENGTH = 2;

    private AlpDescriptor() {
    }
}
