package io.runlog.store;

/**
 * Binary layout of the point ring file {@code points.ring}: a page-sized header followed by a
 * power-of-two number of fixed-size slots. Little-endian (native order on the supported platforms).
 *
 * <pre>
 * Header (4096 bytes, only the first 32 used):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "RLPRING1" (8 bytes)                   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Format Version                          |
 *  +---------------------------------------------------------------+
 *  |                 Slot Count (power of two)                     |
 *  +---------------------------------------------------------------+
 *  |                      Slot Size (32)                           |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (0)                            |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (0) ... up to byte 4096        |
 *  +---------------------------------------------------------------+
 *
 * Slot i (32 bytes at HEADER_LENGTH + i * SLOT_LENGTH), holding ring position p with i = p mod count:
 *  +---------------------------------------------------------------+
 *  |                          Metric Id                            |
 *  +---------------------------------------------------------------+
 *  |            Commit Tag = (p / count) + 1, written last          |
 *  +---------------------------------------------------------------+
 *  |                           Step                                |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Timestamp (epoch milliseconds)               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Value (IEEE 754 raw bits, bit-exact)            |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A slot holds position {@code p} exactly when its commit tag equals {@code tagFor(p)}. The
 * tag of a position's lap is never the tag of another lap of the same slot, and a zeroed slot
 * (tag 0) matches no position, so a reader can tell committed, stale and never-written slots
 * apart without any other state: that is what makes the file recoverable after {@code kill -9}.
 */
public final class PointRingLayout {
    public static final long MAGIC = 0x31474E4952504C52L; // "RLPRING1" little-endian
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int SLOT_COUNT_OFFSET = 12;
    public static final int SLOT_LENGTH_OFFSET = 16;
    public static final int HEADER_LENGTH = 4096;

    public static final int SLOT_LENGTH = 32;
    public static final int SLOT_SHIFT = 5;
    public static final int METRIC_ID_OFFSET = 0;
    public static final int TAG_OFFSET = 4;
    public static final int STEP_OFFSET = 8;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int VALUE_OFFSET = 24;

    public static final int MIN_SLOTS = 64;
    public static final int MAX_SLOTS = 1 << 24;

    private PointRingLayout() {
    }

    /** File length for a ring of {@code slots} slots. */
    public static long fileLength(final int slots) {
        return HEADER_LENGTH + ((long) slots << SLOT_SHIFT);
    }

    /** Offset of the slot that holds position {@code position} in a ring with the given mask. */
    public static int slotOffset(final long position, final long mask) {
        return HEADER_LENGTH + (int) ((position & mask) << SLOT_SHIFT);
    }

    /** The commit tag of {@code position}: its lap plus one, so a zeroed slot never matches. */
    public static int tagFor(final long position, final int slotShift) {
        return (int) (position >>> slotShift) + 1;
    }
}
