package io.runlog.store;

import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;

/**
 * The journal's format versions and size bounds. The records Runlog writes into an
 * experiment's Chronicle Queue journal, one record per Chronicle document, are laid out by their
 * descriptors: {@link RecordHeaderDescriptor} (every record), {@link PointBatchDescriptor} and
 * {@link BatchEntryDescriptor} (POINT_BATCH); the other records ({@link RecordType}) are written
 * field after field by {@link ColdRecords}. Value columns are coded by {@code io.runlog.codec}
 * ({@link io.runlog.codec.ValueMode}). All integers little-endian; strings are
 * {@code i32 byte length} then UTF-8 bytes. Full description with diagrams:
 * {@code docs/format/journal.md}.
 */
public final class JournalLayout {
    /** Journal format version written into every record's version byte and the experiment header. */
    public static final int VERSION = 6;
    /** First version whose POINT_BATCH directory entries carry a value coding (24 bytes, not 20). */
    public static final int VERSION_VALUE_CODING = 3;
    /** First version whose POINT_BATCH runs may be FLOAT32; otherwise as version 3. */
    public static final int VERSION_FLOAT32 = 4;
    /**
     * First version whose every record ends with a CRC32C trailer ({@link RecordTrailerDescriptor});
     * later versions keep it, so a record claiming a newer version whose trailer does not check is
     * damage, not a newer format.
     */
    public static final int VERSION_CHECKSUM = 5;
    /**
     * First version whose POINT_BATCH directory entries (32 bytes) carry a coding per column and a
     * CRC32C per run, with a CRC32C of the header and directory after the directory, so that a
     * reader of one metric checks only the header, the directory and its own run.
     */
    public static final int VERSION_RUN_CHECKSUM = 6;
    /** "RLJRNL01": first field of the EXPERIMENT_HEADER record. */
    public static final long MAGIC = 0x31304C4E524A4C52L;
    /**
     * Most bytes one point takes in a run as written: two 10-byte varints and a 9-byte XOR-coded
     * value (another value mode is only written when it is no longer than the same run XOR-coded).
     */
    public static final int MAX_POINT_BYTES = 2 * VarInt.MAX_LENGTH + XorCoding.MAX_LENGTH;

    /** Most points in one batch (fewer when a quarter journal block cannot hold that many). */
    public static final int MAX_BATCH_POINTS = 4096;

    private JournalLayout() {
    }

    /** Most bytes of a POINT_BATCH record with {@code runs} runs and {@code points} points (as this version writes it, trailer included). */
    public static int maxBatchLength(final int runs, final int points) {
        return (int) PointBatchDescriptor.runsOffset(runs, VERSION) + points * MAX_POINT_BYTES
            + RecordTrailerDescriptor.LENGTH;
    }
}
