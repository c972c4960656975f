package io.runlog.codec;

/**
 * Layout of an ALP-RD column's fixed header ({@link AlpRdCoding}; docs/format/codec.md,
 * "ALP-RD"):
 *
 * <pre>
 *  0      1      2
 * +------+------+--------------------+-------------------------+-------+--------+
 * |  r   |  c   | 2^c * u16 dict     | varint x, x * (varint   | codes | rights |
 * |      |      | (left parts)       | gap, u16 left part)     |       |        |
 * +------+------+--------------------+-------------------------+-------+--------+
 *  u8 right width (48..63)            exceptions                n * c   n * r bits
 *         u8 code width (0..3)                                  bits    packed
 * </pre>
 *
 * Value {@code i}'s bits are {@code (left << r) | right[i]}, {@code left} being
 * {@code dict[code[i]]}, or the exception's left part where one is listed. The dictionary always
 * has {@code 2^c} entries (unused ones 0), so no code can index past it.
 */
public final class AlpRdDescriptor {
    /** u8: the right part's width r in bits; the left part has 64 - r (at most 16). */
    public static final int RIGHT_WIDTH = 0;
    /** u8: the code width c, 0..{@link #MAX_CODE_WIDTH}. */
    public static final int CODE_WIDTH = 1;
    /** The dictionary's first u16 entry. */
    public static final int DICTIONARY = 2;
    /** Bytes of one dictionary entry. */
    public static final int ENTRY = 2;
    /** Largest code width (a dictionary of 8 left parts, as in the paper). */
    public static final int MAX_CODE_WIDTH = 3;
    /** Smallest right width: the left part fits a u16. */
    public static final int MIN_RIGHT_WIDTH = 48;
    /** Largest right width. */
    public static final int MAX_RIGHT_WIDTH = 63;

    private AlpRdDescriptor() {
    }

    /** Offset of the exception count after a dictionary of code width {@code c}. */
    public static int exceptionsAt(final int c) {
        return DICTIONARY + (ENTRY << c);
    }
}
