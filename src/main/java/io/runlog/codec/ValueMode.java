package io.runlog.codec;

/**
 * The one definition of how a column of double values is mapped to bytes, for the journal and
 * the archive alike, with each mode's wire code in each format. A mode is a mapping of a double's
 * raw bits to something that packs small (the digits of a short decimal, the bits of a float32,
 * the raw bits themselves, or the XOR with the previous value); the format then packs those
 * integers its own way: the journal as zigzag varints of differences
 * ({@code docs/format/journal.md}), the archive as its integer column with exceptions
 * ({@code docs/format/archive.md}). A mode a format does not use has the code
 * {@link #NOT_IN_FORMAT} there.
 *
 * <pre>
 *  mode           journal code  archive code  the mapping
 *  XOR            0             -             bits XOR the previous value's bits ({@link XorCoding})
 *  DECIMAL        1             1             d with value = (double) d / 10^e ({@link DecimalCoding})
 *  BITS           2             4             the raw bits as a 64-bit integer ({@link BitsCoding})
 *  FLOAT32        3             3             the float32 bits of a widened float ({@link Float32Coding})
 *  RAW            -             0             the raw bits, 8 bytes a value, nothing packed
 *  DECIMAL_FLOAT  -             2             d with value = (float) ((double) d / 10^e), widened
 *  DOUBLE_COLUMN  4             -             a {@link DoubleColumn}: scheme byte, then frames, ALP, ALP-RD or float32 frames
 * </pre>
 *
 * DOUBLE_COLUMN (journal format 6 on) is not a mapping followed by the journal's varints: the
 * column is {@link DoubleColumn}'s bytes as they are ({@code docs/format/codec.md}).
 *
 * The codes are also compile-time constants ({@link #JOURNAL_XOR} ...) for the drain's and the
 * decoder's loops, which compare codes held in {@code int} arrays.
 */
public enum ValueMode {
    XOR(ValueMode.JOURNAL_XOR, ValueMode.NOT_IN_FORMAT),
    DECIMAL(ValueMode.JOURNAL_DECIMAL, ValueMode.ARCHIVE_DECIMAL),
    BITS(ValueMode.JOURNAL_BITS, ValueMode.ARCHIVE_BITS),
    FLOAT32(ValueMode.JOURNAL_FLOAT32, ValueMode.ARCHIVE_FLOAT32),
    RAW(ValueMode.NOT_IN_FORMAT, ValueMode.ARCHIVE_RAW),
    DECIMAL_FLOAT(ValueMode.NOT_IN_FORMAT, ValueMode.ARCHIVE_DECIMAL_FLOAT),
    DOUBLE_COLUMN(ValueMode.JOURNAL_DOUBLE_COLUMN, ValueMode.NOT_IN_FORMAT);

    /** The code of a mode a format does not use. */
    public static final int NOT_IN_FORMAT = -1;
    /** Journal codes: the u8 Value Mode of a POINT_BATCH directory entry. */
    public static final int JOURNAL_XOR = 0;
    public static final int JOURNAL_DECIMAL = 1;
    public static final int JOURNAL_BITS = 2;
    public static final int JOURNAL_FLOAT32 = 3;
    /** Journal format 6 on: the column is a {@link DoubleColumn}. */
    public static final int JOURNAL_DOUBLE_COLUMN = 4;
    /** Archive codes: the u8 mode that starts a value column. */
    public static final int ARCHIVE_RAW = 0;
    public static final int ARCHIVE_DECIMAL = 1;
    public static final int ARCHIVE_DECIMAL_FLOAT = 2;
    public static final int ARCHIVE_FLOAT32 = 3;
    public static final int ARCHIVE_BITS = 4;

    private static final ValueMode[] BY_JOURNAL_CODE = new ValueMode[JOURNAL_DOUBLE_COLUMN + 1];
    private static final ValueMode[] BY_ARCHIVE_CODE = new ValueMode[ARCHIVE_BITS + 1];

    static {
        for (final ValueMode m : values()) {
            if (m.journalCode != NOT_IN_FORMAT) {
                BY_JOURNAL_CODE[m.journalCode] = m;
            }
            if (m.archiveCode != NOT_IN_FORMAT) {
                BY_ARCHIVE_CODE[m.archiveCode] = m;
            }
        }
    }

    /** The code in a journal POINT_BATCH directory entry, or {@link #NOT_IN_FORMAT}. */
    public final int journalCode;
    /** The code at the start of an archive value column, or {@link #NOT_IN_FORMAT}. */
    public final int archiveCode;

    ValueMode(final int journalCode, final int archiveCode) {
        this.journalCode = journalCode;
        this.archiveCode = archiveCode;
    }

    /** The mode of a journal code, or null if no mode has it. */
    public static ValueMode ofJournalCode(final int code) {
        return code >= 0 && code < BY_JOURNAL_CODE.length ? BY_JOURNAL_CODE[code] : null;
    }

    /** The mode of an archive code, or null if no mode has it. */
    public static ValueMode ofArchiveCode(final int code) {
        return code >= 0 && code < BY_ARCHIVE_CODE.length ? BY_ARCHIVE_CODE[code] : null;
    }

    /** The name of a journal code, for messages: the mode's name, or "unknown mode N". */
    public static String journalName(final int code) {
        final ValueMode m = ofJournalCode(code);
        return m == null ? "unknown mode " + code : m.name();
    }
}
