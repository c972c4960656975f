package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.ValueMode;

/**
 * Descriptor of one entry of a POINT_BATCH record's directory ({@link PointBatchDescriptor}):
 * one run, the points of one metric in the batch ({@code docs/format/journal.md}).
 *
 * <pre>
 *  version 6:
 *   0                 4                 8                 12                16                20
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+
 *  | Metric Id       | Count           | Step Bytes      | Timestamp Bytes | Value Bytes     |
 *  | i32             | i32             | i32             | i32             | i32             |
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+
 *   20       21       22       23       24                28                32
 *  +--------+--------+--------+--------+-----------------+-----------------+
 *  | Value  | Decimal| Step   | Time-  | Run CRC32C      | Reserved (0)    |
 *  | Mode u8| Exp. u8| Coding | stamp  | u32             | u32             |
 *  |        |        | u8     | Coding |                 |                 |
 *  +--------+--------+--------+--------+-----------------+-----------------+
 * </pre>
 *
 * Versions 3 to 5 have 24-byte entries ({@link #LENGTH_V5}): the first 22 bytes above, then a
 * reserved u16 (0); their step and timestamp columns are {@link ColumnCoding#DELTA_VARINT} and
 * they carry no run CRC. Versions 1 and 2 have 20-byte entries ({@link #LENGTH_V2}) without
 * Value Mode and Decimal Exponent: their runs are all {@link ValueMode#XOR}. Value Mode is a
 * {@link ValueMode#journalCode}; Decimal Exponent is the {@code e} of a DECIMAL run (0 to
 * {@link DecimalCoding#MAX_EXPONENT}), 0 for every other mode. Step and Timestamp Coding are
 * {@link ColumnCoding} codes. Run CRC32C is the CRC32C of the run's bytes (its three columns).
 */
public final class BatchEntryDescriptor {
    /** i32: the metric's dense id (its METRIC_DEFINED record). */
    public static final int METRIC_ID_OFFSET = 0;
    /** i32: points in the run, at least 1. */
    public static final int COUNT_OFFSET = 4;
    /** i32: bytes of the run's step column. */
    public static final int STEP_BYTES_OFFSET = 8;
    /** i32: bytes of the run's timestamp column. */
    public static final int TIMESTAMP_BYTES_OFFSET = 12;
    /** i32: bytes of the run's value column. */
    public static final int VALUE_BYTES_OFFSET = 16;
    /** u8 (version 3 on): the run's {@link ValueMode#journalCode}. */
    public static final int VALUE_MODE_OFFSET = 20;
    /** u8 (version 3 on): the exponent e of a DECIMAL run; 0 otherwise. */
    public static final int VALUE_EXPONENT_OFFSET = 21;
    /** u16 (versions 3 to 5), written 0. */
    public static final int RESERVED_V5_OFFSET = 22;
    /** u8 (version 6 on): the step column's {@link ColumnCoding}. */
    public static final int STEP_CODING_OFFSET = 22;
    /** u8 (version 6 on): the timestamp column's {@link ColumnCoding}. */
    public static final int TIMESTAMP_CODING_OFFSET = 23;
    /** u32 (version 6 on): CRC32C of the run's Step + Timestamp + Value Bytes bytes. */
    public static final int RUN_CRC_OFFSET = 24;
    /** u32 (version 6 on), written 0. */
    public static final int RESERVED_OFFSET = 28;
    /** Bytes of an entry as this version writes it (version 6 on). */
    public static final int LENGTH = 32;
    /** Bytes of an entry in records of versions 3 to 5. */
    public static final int LENGTH_V5 = 24;
    /** Bytes of an entry in records of versions 1 and 2. */
    public static final int LENGTH_V2 = 20;

    private BatchEntryDescriptor() {
    }

    /** The entry length of a POINT_BATCH record of journal format version {@code version}. */
    public static int length(final int version) {
        if (version >= JournalLayout.VERSION_RUN_CHECKSUM) {
            return LENGTH;
        }
        return version >= JournalLayout.VERSION_VALUE_CODING ? LENGTH_V5 : LENGTH_V2;
    }
}
