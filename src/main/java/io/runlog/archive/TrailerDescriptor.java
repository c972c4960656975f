package io.runlog.archive;

/**
 * Internal: descriptor of an archive's trailer, its last {@link #LENGTH} bytes, right after the
 * FOOTER block ({@code docs/format/archive.md}, "Trailer"). Little-endian.
 *
 * <pre>
 *   0                                   8                 12                16
 *  +-----------------------------------+-----------------+-----------------+
 *  | Offset of the FOOTER block        | CRC32C of bytes | Magic "RLAE"    |
 *  | u64                               | 0..7, u32       | 4 bytes         |
 *  +-----------------------------------+-----------------+-----------------+
 * </pre>
 */
final class TrailerDescriptor {
    /** u64: file offset of the FOOTER block's header. */
    static final int FOOTER_OFFSET_OFFSET = 0;
    /** u32: CRC32C of the bytes before it. */
    static final int CRC_OFFSET = 8;
    /** 4 bytes: {@link ArchiveLayout#TRAILER_MAGIC}. */
    static final int MAGIC_OFFSET = 12;
    /** Bytes of the trailer. */
    static final int LENGTH = 16;

    private TrailerDescriptor() {
    }
}
