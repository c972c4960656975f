package io.runlog.archive;

import java.nio.charset.StandardCharsets;

/** Internal: sizes, magic numbers and caps of the archive format (docs/format/archive.md). */
final class ArchiveLayout {
    /** "RUNLOGAR". */
    static final byte[] MAGIC = "RUNLOGAR".getBytes(StandardCharsets.US_ASCII);
    /** "RLAE": the last four bytes of a complete archive. */
    static final byte[] TRAILER_MAGIC = "RLAE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION_MAJOR = 1;
    static final int VERSION_MINOR = 0;
    /** magic 8, major u16, minor u16, CRC32C u32. */
    static final int FILE_HEADER_LENGTH = 16;
    /** payload length u32, type u8, flags u8, reserved u16. */
    static final int BLOCK_HEADER_LENGTH = 8;
    static final int BLOCK_CRC_LENGTH = 4;
    /** footer offset u64, CRC32C u32, "RLAE". */
    static final int TRAILER_LENGTH = 16;
    /** Block flag: the payload is a varint uncompressed length followed by a raw Deflate stream. */
    static final int FLAG_DEFLATED = 1;
    /** Largest block payload, as stored and once inflated. */
    static final int MAX_BLOCK_PAYLOAD = 1 << 26;
    /** Raw Deflate expands at most ~1032:1; a declared inflated length beyond this ratio is a lie. */
    static final int MAX_INFLATE_RATIO = 1100;
    static final int MAX_POINTS_PER_BLOCK = 1 << 16;
    /** Item payload bytes per ITEM_PAYLOAD block. */
    static final int PAYLOAD_CHUNK = 1 << 20;
    /** Uncompressed bytes of text entries the writer puts in one block (a guide, not a cap). */
    static final int TEXT_BLOCK_TARGET = 1 << 20;
    /** Longest string field (a metric name is at most 250 chars; values and lines may be long). */
    static final int MAX_STRING_BYTES = MAX_BLOCK_PAYLOAD;
    static final int SOURCE_ID_LENGTH = 16;

    private ArchiveLayout() {
    }
}
