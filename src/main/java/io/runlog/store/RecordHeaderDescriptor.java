package io.runlog.store;

/**
 * Descriptor of the header every journal record starts with (one record per Chronicle document;
 * {@code docs/format/journal.md}). The type-specific body follows at {@link #LENGTH}.
 *
 * <pre>
 *   0        1        2
 *  +--------+--------+-------------------------------------------+
 *  | Type   | Version| type-specific body ...                    |
 *  | u8     | u8     |                                           |
 *  +--------+--------+-------------------------------------------+
 * </pre>
 *
 * Type is a {@link RecordType} code; Version the journal format version the record was written
 * in ({@link JournalLayout#VERSION}), never 0.
 */
public final class RecordHeaderDescriptor {
    /** u8: the {@link RecordType} code. */
    public static final int TYPE_OFFSET = 0;
    /** u8: the journal format version of the record. */
    public static final int VERSION_OFFSET = 1;
    /** Bytes of the header; the body starts here. */
    public static final int LENGTH = 2;

    private RecordHeaderDescriptor() {
    }
}
