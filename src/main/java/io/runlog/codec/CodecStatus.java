package io.runlog.codec;

/**
 * The negative results of the column decoders in this package ({@link BitPacking},
 * {@link FrameColumn}, {@link AlpCoding}, {@link AlpRdCoding}, {@link Float32Frames}). A decoder
 * returns the offset just after the column it read (never negative: raw addresses and
 * {@code BYTE_ARRAY_BASE + index} are positive) or one of these codes, after which the output
 * array holds garbage in the decoded range and nothing outside it was written. The caller turns
 * a code into its own typed error (the journal reader a {@code CorruptStoreException}, the archive
 * reader its {@code Malformed}) with {@link #describe}.
 */
public final class CodecStatus {
    /** A field or the packed bits of a frame run past the given limit (a truncated column). */
    public static final long PAST_END = -1;
    /** A varint runs past 64 bits. */
    public static final long BAD_VARINT = -2;
    /** An integer column's order byte is not 0, 1 or 2, or exceeds {@code count - 1}. */
    public static final long BAD_ORDER = -3;
    /** A frame's bit width is above 64 (or a right width of ALP-RD outside 1..63). */
    public static final long BAD_WIDTH = -4;
    /** A fixed header field is out of range (an ALP exponent or factor, an ALP-RD code width). */
    public static final long BAD_HEADER = -5;
    /** A decoded value is impossible for its column (a float32 pattern that is a NaN or beyond 32 bits). */
    public static final long BAD_VALUE = -6;
    /** An exception list is impossible (more exceptions than values, a position past the column). */
    public static final long BAD_EXCEPTION = -7;

    private CodecStatus() {
    }

    /** Whether {@code result} of a decoder is an error code rather than an offset. */
    public static boolean isError(final long result) {
        return result < 0;
    }

    /** A short English description of an error code, for the caller's exception message. */
    public static String describe(final long code) {
        return switch ((int) code) {
            case (int) PAST_END -> "column truncated: runs past its end";
            case (int) BAD_VARINT -> "varint longer than 64 bits";
            case (int) BAD_ORDER -> "integer column order impossible";
            case (int) BAD_WIDTH -> "frame bit width out of range";
            case (int) BAD_HEADER -> "column header field out of range";
            case (int) BAD_VALUE -> "decoded value impossible for the column";
            case (int) BAD_EXCEPTION -> "exception list impossible";
            default -> code >= 0 ? "no error" : "unknown codec error " + code;
        };
    }
}
