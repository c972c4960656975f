package io.runlog.archive;

/**
 * Internal: descriptor of an archive's file header, its first {@link #LENGTH} bytes
 * ({@code docs/format/archive.md}, "File header"). Little-endian.
 *
 * <pre>
 *   0                                   8                 10                12                16
 *  +-----------------------------------+-----------------+-----------------+-----------------+
 *  | Magic "RUNLOGAR"                  | Major Version   | Minor Version   | CRC32C of bytes |
 *  | 8 bytes                           | u16             | u16             | 0..11, u32      |
 *  +-----------------------------------+-----------------+-----------------+-----------------+
 * </pre>
 *
 * The first block follows at {@link #LENGTH}.
 */
final class FileHeaderDescriptor {
    /** 8 bytes: {@link ArchiveLayout#MAGIC}. */
    static final int MAGIC_OFFSET = 0;
    /** u16: {@link ArchiveLayout#VERSION_MAJOR} of the writer. */
    static final int MAJOR_OFFSET = 8;
    /** u16: the minor version of the writer ({@link ArchiveLayout#VERSION_MINOR}). */
    static final int MINOR_OFFSET = 10;
    /** u32: CRC32C of the bytes before it. */
    static final int CRC_OFFSET = 12;
    /** Bytes of the header. */
    static final int LENGTH = 16;

    private FileHeaderDescriptor() {
    }
}
