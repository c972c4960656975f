package io.runlog.archive;

/**
 * Internal: descriptor of the frame of every archive block: an {@link #LENGTH}-byte header, the
 * payload, and a {@link #CRC_LENGTH}-byte CRC32C ({@code docs/format/archive.md}, "Block").
 * Little-endian.
 *
 * <pre>
 *   0                 4        5        6                 8                  8+L               8+L+4
 *  +-----------------+--------+--------+-----------------+------------------+-----------------+
 *  | Payload Length L| Type   | Flags  | Reserved (0)    | Payload          | CRC32C of the   |
 *  | u32             | u8     | u8     | u16             | L bytes          | header + payload|
 *  +-----------------+--------+--------+-----------------+------------------+-----------------+
 * </pre>
 *
 * Type is a {@link BlockType} code; Flags bit 0 is {@link ArchiveLayout#FLAG_DEFLATED}. The next
 * block (or the trailer, after the FOOTER) follows at {@link #frameLength}.
 */
final class BlockHeaderDescriptor {
    /** u32: bytes of the payload, at most {@link ArchiveLayout#MAX_BLOCK_PAYLOAD}. */
    static final int PAYLOAD_LENGTH_OFFSET = 0;
    /** u8: the {@link BlockType} code. */
    static final int TYPE_OFFSET = 4;
    /** u8: {@link ArchiveLayout#FLAG_DEFLATED}, every other bit 0. */
    static final int FLAGS_OFFSET = 5;
    /** u16, written 0. */
    static final int RESERVED_OFFSET = 6;
    /** Bytes of the header; the payload starts here. */
    static final int LENGTH = 8;
    /** Bytes of the CRC32C after the payload. */
    static final int CRC_LENGTH = 4;

    private BlockHeaderDescriptor() {
    }

    /** Bytes of a block whose payload is {@code payloadLength} bytes: header, payload and CRC. */
    static long frameLength(final long payloadLength) {
        return LENGTH + payloadLength + CRC_LENGTH;
    }
}
