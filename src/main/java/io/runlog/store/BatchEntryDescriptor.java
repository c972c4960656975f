package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.ValueMode;

/**
 * Descriptor of one entry of a POINT_BATCH record's directory ({@link PointBatchDescriptor}):
 * one run, the points of one metric in the batch ({@code docs/format/journal.md}).
 *
 * <pre>
 *   0                 4                 8                 12                16                20       21       22       24
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+--------+--------+--------+
 *  | Metric Id       | Count           | Step Bytes      | Timestamp Bytes | Value Bytes     | Value  | Decimal| Reserved|
 *  | i32             | i32             | i32             | i32             | i32             | Mode u8| Exp. u8| u16 (0) |
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+--------+--------+--------+
 * </pre>
 *
 * Records of versions 1 and 2 have 20-byte entries ({@link #LENGTH_V2}) without the last three
 * fields: their runs are all {@link ValueMode#XOR}. Value Mode is a {@link ValueMode#journalCode};
 * Decimal Exponent is the {@code e} of a DECIMAL run (0 to {@link DecimalCoding#MAX_EXPONENT}),
 * 0 for every other mode.
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
    /** u16 (version 3 on), written 0. */
    public static final int RESERVED_OFFSET = 22;
    /** Bytes of an entry as this version writes it (version 3 on). */
    public static final int LENGTH = 24;
    /** Bytes of an entry in records of versions 1 and 2. */
    public static final int LENGTH_V2 = 20;

    private BatchEntryDescriptor() {
    }

    /** The entry length of a POINT_BATCH record of journal format version {@code version}. */
    public static int length(final int version) {
        return version >= JournalLayout.VERSION_VALUE_CODING ? LENGTH : LENGTH_V2;
    }
}
