package io.runlog.store;

/**
 * Descriptor of the trailer every journal record of format version 5 or later ends with
 * ({@code docs/format/journal.md}, "Every record"). The record's Chronicle document is its
 * header and body followed by these 4 bytes:
 *
 * <pre>
 *   0        1        2                                  L-4                L
 *  +--------+--------+----------------------------------+------------------+
 *  | Type   | Version| type-specific body ...           | CRC32C (u32, LE) |
 *  | u8     | u8 (5) |                                  |                  |
 *  +--------+--------+----------------------------------+------------------+
 * </pre>
 *
 * The CRC32C (Castagnoli, {@link java.util.zip.CRC32C}) is taken over the record's sequence
 * number within its cycle file (the low 32 bits of its Chronicle index, as a little-endian u32)
 * followed by the record's bytes {@code [0, L-4)}. Binding the sequence number makes a record
 * read at the wrong index (a damaged Chronicle index page) fail its check like a damaged body.
 * Records of versions 1 to 4 have no trailer.
 */
public final class RecordTrailerDescriptor {
    /** Bytes of the trailer, after the record's body. */
    public static final int LENGTH = 4;
    /** Offset of the CRC32C from the end of the record: it is the record's last 4 bytes. */
    public static final int CRC_FROM_END = LENGTH;
    /** Bytes of the sequence number the CRC covers before the record's bytes. */
    public static final int SEQUENCE_LENGTH = 4;

    private RecordTrailerDescriptor() {
    }

    /** Offset of the CRC32C in a record of {@code recordLength} bytes (trailer included). */
    public static long crcOffset(final long recordLength) {
        return recordLength - CRC_FROM_END;
    }

    /** Whether a record of format version {@code version} ends with this trailer. */
    public static boolean present(final int version) {
        return version >= JournalLayout.VERSION_CHECKSUM;
    }
}
