package io.runlog.store;

/**
 * Binary layout of the point ring file {@code points.ring}: a page-sized header followed by a
 * power-of-two number of fixed-size slots. Little-endian (native order on the supported platforms).
 * Format page: {@code docs/format/point-ring.md}.
 *
 * <pre>
 * Header (4096 bytes, only the first 20 used):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "RLPRING1" (8 bytes)                   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Format Version (2; 1 still read)             |
 *  +---------------------------------------------------------------+
 *  |                 Slot Count (power of two)                     |
 *  +---------------------------------------------------------------+
 *  |                      Slot Size (32)                           |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (0) ... up to byte 4096        |
 *  +---------------------------------------------------------------+
 *
 * Slot i (32 bytes at HEADER_LENGTH + i * SLOT_LENGTH), holding ring position p with i = p mod count:
 *  +---------------------------------------------------------------+
 *  |                          Metric Id                            |  0
 *  +---------------------------------------------------------------+
 *  |  v2: Word = check(id, step, timestamp, value, p) ^ FREE_WORD, |  4
 *  |      written last; FREE_WORD = free, 0 = damage.               |
 *  |  v1: Commit Tag = (p / count) + 1                              |
 *  +---------------------------------------------------------------+
 *  |                           Step                                |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Timestamp (epoch milliseconds)               | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Value (IEEE 754 raw bits, bit-exact)            | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Version 2.</b> A slot holds position {@code p} exactly when its word equals
 * {@link #check check(id, step, timestamp, value, p)} XOR {@link #FREE_WORD}. The check is a 32-bit
 * hash of the slot's four fields XORed with an injective function of {@code p mod 2^32}, and never
 * 0; every slot starts as {@link #FREE_WORD} and a drained slot's word is set back to it before the
 * slot is freed, so while a ring is live a word other than {@link #FREE_WORD} is a committed slot.
 * After a crash, a slot is one of: free ({@link #FREE_WORD}), committed (check matches p),
 * stale (check matches {@code p - count}: drained into the journal just before the crash, not yet
 * freed; these two never coincide, see {@link #check}), or damaged (anything else, a word of 0
 * included: a torn, zeroed or damaged slot, skipped and counted by recovery).
 *
 * <p><b>Version 1</b> (read only, for rings left by an older build): the word at 4 is the commit
 * tag {@link #tagFor}; the fields are not checked.
 */
public final class PointRingLayout {
    public static final long MAGIC = 0x31474E4952504C52L; // "RLPRING1" little-endian
    /** The version this build writes. */
    public static final int VERSION = 2;
    /** The oldest version this build reads (recovery only). */
    public static final int VERSION_TAGGED = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int SLOT_COUNT_OFFSET = 12;
    public static final int SLOT_LENGTH_OFFSET = 16;
    public static final int HEADER_LENGTH = 4096;

    public static final int SLOT_LENGTH = 32;
    public static final int SLOT_SHIFT = 5;
    public static final int METRIC_ID_OFFSET = 0;
    /**
     * v2: the slot's word: its check XOR {@link #FREE_WORD}, written last with release semantics;
     * {@link #FREE_WORD} while the slot is free. A word of 0 is never written: it is damage.
     */
    public static final int CHECK_OFFSET = 4;
    /**
     * v2: the word of a free slot, written into every slot when the ring is created and by the
     * drain when it frees a slot ("FREE" in ASCII, little-endian). Since a check is never 0, no
     * committed slot's word is this; and since no slot is ever legitimately 0, a zeroed slot (a
     * zeroed page) is told apart from a free one.
     */
    public static final int FREE_WORD = 0x45455246;
    /** v1: the commit tag (same word as the v2 check). */
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

    private static final long K_ID = 0xD6E8FEB86659FD93L;
    private static final long K_STEP = 0x9E3779B97F4A7C15L;
    private static final long K_TIMESTAMP = 0xC2B2AE3D27D4EB4FL;
    private static final long K_VALUE = 0x165667B19E3779F9L;
    private static final int K_POSITION = 0x85EBCA77;

    /**
     * The version 2 check of a slot holding {@code position}: a 32-bit hash {@code g} of the four
     * fields (a sum of odd-constant products, its two halves XORed: a few cycles, no table), XORed with
     * {@code (int) position * K} for an odd {@code K}, and 1 where that is 0.
     *
     * <p>Guarantees the recovery relies on: the check is never 0 (a free slot); and the checks of
     * the same fields at {@code p} and {@code p - count} always differ, so a stale slot is never
     * taken for a committed one. Without the 0-to-1 substitution this holds because
     * {@code (int) p * K} is a bijection of {@code p mod 2^32}. With it: if one of the two raw
     * values is 0, the other is {@code (int) p * K ^ (int) (p - count) * K}; those two products
     * differ by {@code count * K}, a multiple of 64, so they agree in their low six bits and their
     * XOR is never 1. A damaged slot passes with probability about 2^-32.
     */
    public static int check(final int metricId, final long step, final long timestamp, final long valueBits,
                            final long position) {
        return check(fieldsHash(metricId, step, timestamp, valueBits), position);
    }

    /** The part of {@link #check} that depends on the fields alone (the hot path computes it before claiming). */
    public static int fieldsHash(final int metricId, final long step, final long timestamp, final long valueBits) {
        final long x = step * K_STEP + timestamp * K_TIMESTAMP + valueBits * K_VALUE + metricId * K_ID;
        return (int) (x >>> 32) ^ (int) x;
    }

    /** {@link #check} from its {@link #fieldsHash} and the position. */
    public static int check(final int fieldsHash, final long position) {
        final int raw = fieldsHash ^ (int) position * K_POSITION;
        return raw == 0 ? 1 : raw;
    }

    /** v1: the commit tag of {@code position}: its lap plus one, so a zeroed slot never matches. */
    public static int tagFor(final long position, final int slotShift) {
        return (int) (position >>> slotShift) + 1;
    }
}
