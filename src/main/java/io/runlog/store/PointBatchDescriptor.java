package io.runlog.store;

/**
 * Descriptor of a POINT_BATCH record's fixed header ({@code docs/format/journal.md}): the record
 * header ({@link RecordHeaderDescriptor}, type 3), counts and the ring positions the batch covers.
 * A directory of Run Count entries ({@link BatchEntryDescriptor}) follows at {@link #LENGTH}, then
 * one run per entry, in directory order, each its step, timestamp and value columns.
 *
 * <pre>
 *   0        1        2                 4                 8                 12                16
 *  +--------+--------+-----------------+-----------------+-----------------+-----------------+
 *  | Type=3 | Version| Reserved (0)    | Run Count       | Point Count     | Reserved (0)    |
 *  | u8     | u8     | u16             | i32             | i32             | i32             |
 *  +--------+--------+-----------------+-----------------+-----------------+-----------------+
 *  16                                  24                                  32
 *  +-----------------------------------+-----------------------------------+
 *  | First Ring Position (i64)         | End Ring Position, exclusive (i64)|
 *  +-----------------------------------+-----------------------------------+
 *  | Directory: Run Count x {@link BatchEntryDescriptor}                   |
 *  +-----------------------------------------------------------------------+
 *  | Directory CRC32C u32 (version 6 on)                                   |
 *  +-----------------------------------------------------------------------+
 *  | Runs: for each entry, Step Bytes of steps, Timestamp Bytes of          |
 *  | timestamps, Value Bytes of values                                      |
 *  +-----------------------------------------------------------------------+
 *  | Record CRC32C trailer ({@link RecordTrailerDescriptor}, version 5 on)  |
 *  +-----------------------------------------------------------------------+
 * </pre>
 *
 * The Directory CRC32C (version 6 on) covers the record's sequence number in its cycle file (a
 * little-endian u32, as the trailer's) and the bytes from 0 to the end of the directory, so a
 * reader of one run checks the header and the directory with it, and then only its run's bytes
 * (the entry's Run CRC32C), not the whole record.
 */
public final class PointBatchDescriptor {
    /** u16, written 0. */
    public static final int RESERVED_OFFSET = RecordHeaderDescriptor.LENGTH;
    /** i32: runs in the batch, one per metric, at least 1. */
    public static final int RUN_COUNT_OFFSET = 4;
    /** i32: points in the batch, the sum of the runs' counts. */
    public static final int POINT_COUNT_OFFSET = 8;
    /** i32, written 0. */
    public static final int RESERVED_2_OFFSET = 12;
    /** i64: ring position of the batch's first point. */
    public static final int FIRST_POSITION_OFFSET = 16;
    /** i64: ring position after the batch's last point (every position below it is drained). */
    public static final int END_POSITION_OFFSET = 24;
    /** Bytes of the header; the directory starts here. */
    public static final int LENGTH = 32;

    private PointBatchDescriptor() {
    }

    /** Bytes of the Directory CRC32C after the directory (version 6 on). */
    public static final int DIRECTORY_CRC_LENGTH = 4;

    /** Offset of the Directory CRC32C of a version 6 record with {@code runs} runs: the end of its directory. */
    public static long directoryCrcOffset(final int runs) {
        return entryOffset(runs, BatchEntryDescriptor.LENGTH);
    }

    /** Offset of the first run in a record of journal format {@code version} with {@code runs} runs. */
    public static long runsOffset(final int runs, final int version) {
        final long directoryEnd = entryOffset(runs, BatchEntryDescriptor.length(version));
        return version >= JournalLayout.VERSION_RUN_CHECKSUM ? directoryEnd + DIRECTORY_CRC_LENGTH : directoryEnd;
    }

    /** Offset of directory entry {@code r} in a record whose entries are {@code entryLength} bytes. */
    public static long entryOffset(final int r, final int entryLength) {
        return LENGTH + (long) r * entryLength;
    }
}
