package io.runlog.store;

/**
 * Binary layout of the records Runlog writes into an experiment's Chronicle Queue journal, one
 * record per Chronicle document. All integers little-endian; every record starts with the same
 * two bytes. Full description with diagrams: {@code docs/format/journal.md}.
 *
 * <pre>
 * Every record:
 *  +--------+--------+----------------------------------------------+
 *  | Type   | Version| type-specific body ...                       |
 *  | 1 byte | 1 byte |                                              |
 *  +--------+--------+----------------------------------------------+
 *
 * POINT_BATCH (type 3), 32-byte header, a directory of 20-byte entries, then one run per entry:
 *   0        1        2                 4                 8                 12                16
 *  +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 *  | Type=3 | Ver=2  | Reserved (0)    | Run Count (i32)   | Point Count (i32) | Reserved (0)  |
 *  +--------+--------+-----------------+-------------------+-------------------+---------------+
 *  | First Ring Position (i64)                             | End Ring Position, exclusive (i64)|
 *  +-------------------------------------------------------+-----------------------------------+
 *  | Directory: Run Count x { Metric Id, Count, Step Bytes, Timestamp Bytes, Value Bytes } (i32) |
 *  +-------------------------------------------------------------------------------------------+
 *  | For each run, in directory order:                                                         |
 *  |   steps:      Count zigzag-LEB128 varints of the delta to the previous step (first: to 0) |
 *  |   timestamps: Count zigzag-LEB128 varints of the delta to the previous timestamp          |
 *  |   values:     Count XOR-coded values: raw bits XOR the previous value's (first: XOR 0)    |
 *  +-------------------------------------------------------------------------------------------+
 * </pre>
 *
 * Strings are {@code i32 byte length} then UTF-8 bytes. Other records are listed in
 * {@link RecordType} and specified in the format document.
 */
public final class JournalLayout {
    /** Journal format version written into every record's version byte and the experiment header. */
    public static final int VERSION = 2;
    /** "RLJRNL01": first field of the EXPERIMENT_HEADER record. */
    public static final long MAGIC = 0x31304C4E524A4C52L;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;

    public static final int BATCH_RUN_COUNT_OFFSET = 4;
    public static final int BATCH_POINT_COUNT_OFFSET = 8;
    public static final int BATCH_FIRST_POSITION_OFFSET = 16;
    public static final int BATCH_END_POSITION_OFFSET = 24;
    public static final int BATCH_HEADER_LENGTH = 32;
    public static final int BATCH_DIRECTORY_ENTRY_LENGTH = 20;
    public static final int ENTRY_METRIC_ID_OFFSET = 0;
    public static final int ENTRY_COUNT_OFFSET = 4;
    public static final int ENTRY_STEP_BYTES_OFFSET = 8;
    public static final int ENTRY_TIMESTAMP_BYTES_OFFSET = 12;
    public static final int ENTRY_VALUE_BYTES_OFFSET = 16;
    /** Most bytes one point takes in a run: two 10-byte varints and a 9-byte XOR-coded value. */
    public static final int MAX_POINT_BYTES = 2 * VarLong.MAX_LENGTH + XorValue.MAX_LENGTH;

    /** Most points in one batch (fewer when a quarter journal block cannot hold that many). */
    public static final int MAX_BATCH_POINTS = 4096;

    private JournalLayout() {
    }

    /** Most bytes of a POINT_BATCH record with {@code runs} runs and {@code points} points. */
    public static int maxBatchLength(final int runs, final int points) {
        return BATCH_HEADER_LENGTH + runs * BATCH_DIRECTORY_ENTRY_LENGTH + points * MAX_POINT_BYTES;
    }
}
