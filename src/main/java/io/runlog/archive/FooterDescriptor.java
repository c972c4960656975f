package io.runlog.archive;

/**
 * Internal: descriptor of the FOOTER block's payload ({@code docs/format/archive.md}, "127
 * FOOTER"). Its fields are varints, so it has no fixed offsets: it is written and read field
 * after field, and the block index's entries are written by {@link #indexEntry} alone, by the
 * writer for the footer and by the reader for the index it compares the footer's with.
 *
 * <pre>
 *  +-----------------------------------------------------------------------------+
 *  | Block Count b (varint): the blocks before the footer                        |
 *  +-----------------------------------------------------------------------------+
 *  | Block Index: b entries, in file order, each                                 |
 *  |   +--------------------+---------+----------------------+-----------------+ |
 *  |   | Block Offset       | Type    | Payload Length L     | CRC32C          | |
 *  |   | varint             | u8      | varint               | u32             | |
 *  |   +--------------------+---------+----------------------+-----------------+ |
 *  +-----------------------------------------------------------------------------+
 *  | Totals ({@link ArchiveTotals}): 8 varints                                   |
 *  +-----------------------------------------------------------------------------+
 * </pre>
 */
final class FooterDescriptor {
    /** Fewest bytes of one block index entry (1-byte varints). */
    static final int MIN_INDEX_ENTRY_LENGTH = 7;

    private FooterDescriptor() {
    }

    /** Appends the block index entry of a block at {@code offset} with its header's type, length and CRC. */
    static void indexEntry(final ByteSink index, final long offset, final int type, final long payloadLength,
                           final int crc) {
        index.varint(offset);
        index.u8(type);
        index.varint(payloadLength);
        index.u32(crc);
    }
}
