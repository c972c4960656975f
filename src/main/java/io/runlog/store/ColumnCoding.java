package io.runlog.store;

/**
 * How a POINT_BATCH run's step or timestamp column (a column of {@code i64}) is coded: the
 * Step Coding and Timestamp Coding u8 of a version 6 directory entry
 * ({@link BatchEntryDescriptor}; {@code docs/format/journal.md}). Value columns are coded by
 * {@link io.runlog.codec.ValueMode} codes instead. Records before version 6 have no such field:
 * their step and timestamp columns are all {@link #DELTA_VARINT}.
 *
 * <pre>
 *  code  name          the column
 *  0     DELTA_VARINT  count zigzag LEB128 varints of the delta to the previous value (the first to 0)
 *  1     FRAMES        an integer column of io.runlog.codec.FrameColumn: order byte, then frames of
 *                      128 residuals, each a minimum, a width and the residuals bit-packed
 *                      (docs/format/codec.md, "Integer column"); version 6 on
 * </pre>
 */
public final class ColumnCoding {
    /** Zigzag LEB128 varints of the deltas ({@link io.runlog.codec.VarInt#decodeDeltas}), 1 to 10 bytes a value. */
    public static final int DELTA_VARINT = 0;
    /** {@link io.runlog.codec.FrameColumn}: fixed-width frames of 128, decoded without a branch per value. */
    public static final int FRAMES = 1;

    private ColumnCoding() {
    }

    /** Whether {@code code} names a coding this version reads. */
    public static boolean known(final int code) {
        return code == DELTA_VARINT || code == FRAMES;
    }

    /** Fewest bytes a column of {@code count} values takes in coding {@code code} (a known one). */
    public static long minBytes(final int code, final int count) {
        return code == FRAMES ? 1 : count;
    }

    /** Most bytes a column of {@code count} values takes in coding {@code code} (a known one). */
    public static long maxBytes(final int code, final int count) {
        return code == FRAMES ? io.runlog.codec.FrameColumn.maxLength(count) : (long) io.runlog.codec.VarInt.MAX_LENGTH * count;
    }
}
