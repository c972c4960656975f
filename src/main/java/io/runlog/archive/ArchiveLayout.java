package io.runlog.archive;

import java.nio.charset.StandardCharsets;

/**
 * Internal: the archive format's versions, magic numbers and caps (docs/format/archive.md). The
 * fixed layouts have their descriptors: {@link FileHeaderDescriptor}, {@link BlockHeaderDescriptor},
 * {@link FooterDescriptor}, {@link TrailerDescriptor}.
 */
final class ArchiveLayout {
    /** "RUNLOGAR". */
    static final byte[] MAGIC = "RUNLOGAR".getBytes(StandardCharsets.US_ASCII);
    /** "RLAE": the last four bytes of a complete archive. */
    static final byte[] TRAILER_MAGIC = "RLAE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION_MAJOR = 1;
    /**
     * Minor version this build writes. 1.0: the format as first released; 1.1: 1.0 plus the
     * THROTTLE block (type 9), and nothing else. Runlog builds from the THROTTLE block's
     * arrival (2026-11-22) to this version's (2026-12) wrote THROTTLE blocks into files that say 1.0: a
     * reader accepts THROTTLE in 1.0 files too (docs/format/archive.md, "Versions").
     */
    static final int VERSION_MINOR = 1;
    /**
     * Minor version of an increment (an archive with an INCREMENT block, type 10, added by 1.2);
     * a whole archive has the same bytes as in 1.1 and says 1.1, so 1.1 readers keep reading it.
     */
    static final int VERSION_MINOR_INCREMENT = 2;
    /** The newest minor version this build reads. */
    static final int READ_MINOR = VERSION_MINOR_INCREMENT;
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
