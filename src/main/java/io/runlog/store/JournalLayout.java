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
 * POINT_BATCH (type 3), 32-byte header, a directory of 24-byte entries (20 bytes in records of
 * version 1 and 2, which have no value coding field and code every run's values XOR), then one run
 * per entry:
 *   0        1        2                 4                 8                 12                16
 *  +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 *  | Type=3 | Ver=4  | Reserved (0)    | Run Count (i32)   | Point Count (i32) | Reserved (0)  |
 *  +--------+--------+-----------------+-------------------+-------------------+---------------+
 *  | First Ring Position (i64)                             | End Ring Position, exclusive (i64)|
 *  +-------------------------------------------------------+-----------------------------------+
 *  | Directory: Run Count x { Metric Id, Count, Step Bytes, Timestamp Bytes, Value Bytes (i32),|
 *  |                          Value Mode (u8), Decimal Exponent (u8), Reserved (u16) }         |
 *  +-------------------------------------------------------------------------------------------+
 *  | For each run, in directory order:                                                         |
 *  |   steps:      Count zigzag-LEB128 varints of the delta to the previous step (first: to 0) |
 *  |   timestamps: Count zigzag-LEB128 varints of the delta to the previous timestamp          |
 *  |   values:     XOR mode: Count XOR-coded values ({@link XorValue}), raw bits XOR the       |
 *  |               previous value's (first: XOR 0); DECIMAL mode: Count zigzag-LEB128 varints  |
 *  |               of the deltas of d, value = (double) d / 10^e ({@link DecimalValue});       |
 *  |               BITS mode: Count zigzag-LEB128 varints of the second differences of the     |
 *  |               raw bits ({@link BitsValue}); FLOAT32 mode (version 4 on): Count zigzag-    |
 *  |               LEB128 varints of the 32-bit differences of the float bits ({@link Float32Value})|
 *  +-------------------------------------------------------------------------------------------+
 * </pre>
 *
 * Strings are {@code i32 byte length} then UTF-8 bytes. Other records are listed in
 * {@link RecordType} and specified in the format document.
 */
public final class JournalLayout {
    /** Journal format version written into every record's version byte and the experiment header. */
    public static final int VERSION = 4;
    /** First version whose POINT_BATCH directory entries carry a value coding (24 bytes, not 20). */
    public static final int VERSION_VALUE_CODING = 3;
    /** First version whose POINT_BATCH runs may be {@link #VALUE_MODE_FLOAT32}; otherwise as version 3. */
    public static final int VERSION_FLOAT32 = 4;
    /** "RLJRNL01": first field of the EXPERIMENT_HEADER record. */
    public static final long MAGIC = 0x31304C4E524A4C52L;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;

    public static final int BATCH_RUN_COUNT_OFFSET = 4;
    public static final int BATCH_POINT_COUNT_OFFSET = 8;
    public static final int BATCH_FIRST_POSITION_OFFSET = 16;
    public static final int BATCH_END_POSITION_OFFSET = 24;
    public static final int BATCH_HEADER_LENGTH = 32;
    /** Directory entry length of the POINT_BATCH records this version writes. */
    public static final int BATCH_DIRECTORY_ENTRY_LENGTH = 24;
    /** Directory entry length of POINT_BATCH records of versions 1 and 2 (no value coding field). */
    public static final int BATCH_DIRECTORY_ENTRY_LENGTH_V2 = 20;
    public static final int ENTRY_METRIC_ID_OFFSET = 0;
    public static final int ENTRY_COUNT_OFFSET = 4;
    public static final int ENTRY_STEP_BYTES_OFFSET = 8;
    public static final int ENTRY_TIMESTAMP_BYTES_OFFSET = 12;
    public static final int ENTRY_VALUE_BYTES_OFFSET = 16;
    /** u8: how the run's values are coded, {@link #VALUE_MODE_XOR}, {@link #VALUE_MODE_DECIMAL}, {@link #VALUE_MODE_BITS} or {@link #VALUE_MODE_FLOAT32}. */
    public static final int ENTRY_VALUE_MODE_OFFSET = 20;
    /** u8: the exponent e of a DECIMAL run (0 to {@link DecimalValue#MAX_EXPONENT}); 0 for XOR. */
    public static final int ENTRY_VALUE_EXPONENT_OFFSET = 21;
    /** u16, written 0. */
    public static final int ENTRY_RESERVED_OFFSET = 22;
    /** Values XOR-coded against the previous value's bits ({@link XorValue}); every run of versions 1 and 2. */
    public static final int VALUE_MODE_XOR = 0;
    /** Values as zigzag varint deltas of d, each value being {@code (double) d / 10^e} ({@link DecimalValue}). */
    public static final int VALUE_MODE_DECIMAL = 1;
    /** Value mode: zigzag varints of the second differences of the raw bits ({@link BitsValue}); exponent 0. */
    public static final int VALUE_MODE_BITS = 2;
    /** Value mode (version 4 on): zigzag varints of the 32-bit differences of the values' float32 bits ({@link Float32Value}); exponent 0. */
    public static final int VALUE_MODE_FLOAT32 = 3;
    /**
     * Most bytes one point takes in a run as written: two 10-byte varints and a 9-byte XOR-coded
     * value (a DECIMAL run is only written when it is no longer than the same run XOR-coded).
     */
    public static final int MAX_POINT_BYTES = 2 * VarLong.MAX_LENGTH + XorValue.MAX_LENGTH;

    /** Most points in one batch (fewer when a quarter journal block cannot hold that many). */
    public static final int MAX_BATCH_POINTS = 4096;

    private JournalLayout() {
    }

    /** The directory entry length of a POINT_BATCH record of format version {@code version}. */
    public static int directoryEntryLength(final int version) {
        return version >= VERSION_VALUE_CODING ? BATCH_DIRECTORY_ENTRY_LENGTH : BATCH_DIRECTORY_ENTRY_LENGTH_V2;
    }

    /** Most bytes of a POINT_BATCH record with {@code runs} runs and {@code points} points (as this version writes it). */
    public static int maxBatchLength(final int runs, final int points) {
        return BATCH_HEADER_LENGTH + runs * BATCH_DIRECTORY_ENTRY_LENGTH + points * MAX_POINT_BYTES;
    }
}
