package io.runlog.store;

/**
 * Descriptor of an experiment's journal manifest, the file {@link StoreLayout#MANIFEST_FILE}
 * ({@code docs/format/store.md}): what the journal held when it was last closed or synced, so that
 * a missing, truncated or zeroed cycle file, or a lost ring, is detected when the experiment
 * opens. All integers little-endian.
 *
 * <pre>
 *   0                                   8                 10       11       12                16
 *  +-----------------------------------+-----------------+--------+--------+-----------------+
 *  | Magic "RLMANI01" (i64)            | Version u16 (1) | Ring u8| Res. u8 | Cycle Count C   |
 *  +-----------------------------------+-----------------+--------+--------+-----------------+
 *  16: C entries of 16 bytes, in increasing cycle order
 *  +-----------------+-----------------+-----------------------------------+
 *  | Cycle (i32)     | Reserved 0 (i32)| Records in the cycle file (i64)   |
 *  +-----------------+-----------------+-----------------------------------+
 *  16 + 16C
 *  +-----------------+
 *  | CRC32C (u32) of bytes [0, 16 + 16C)
 *  +-----------------+
 * </pre>
 *
 * Ring is 1 while a point ring may hold points the journal does not (written when a ring is
 * created, cleared before a ring is deleted at close or after its recovery), 0 otherwise. The
 * record counts are lower bounds: records appended after the manifest was written (and before a
 * crash) are more, never fewer.
 */
public final class ManifestDescriptor {
    /** "RLMANI01". */
    public static final long MAGIC = 0x3130494E_414D4C52L;
    /** The manifest format version this build writes and reads. */
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    /** u16: manifest format version. */
    public static final int VERSION_OFFSET = 8;
    /** u8: 1 while a point ring may hold points not in the journal. */
    public static final int RING_OFFSET = 10;
    /** u8, written 0. */
    public static final int RESERVED_OFFSET = 11;
    /** i32: number of cycle entries. */
    public static final int CYCLE_COUNT_OFFSET = 12;
    /** Bytes of the fixed header; the entries start here. */
    public static final int HEADER_LENGTH = 16;

    /** i32 within an entry: the Chronicle cycle (days since the epoch for daily cycles). */
    public static final int ENTRY_CYCLE_OFFSET = 0;
    /** i32 within an entry, written 0. */
    public static final int ENTRY_RESERVED_OFFSET = 4;
    /** i64 within an entry: the records the cycle file held. */
    public static final int ENTRY_RECORDS_OFFSET = 8;
    /** Bytes of one entry. */
    public static final int ENTRY_LENGTH = 16;
    /** Bytes of the trailing CRC32C. */
    public static final int CRC_LENGTH = 4;
    /** Most cycle entries a manifest may claim (a daily cycle for 100 years is 36,525). */
    public static final int MAX_CYCLES = 1 << 20;

    private ManifestDescriptor() {
    }

    /** Offset of entry {@code i}. */
    public static int entryOffset(final int i) {
        return HEADER_LENGTH + i * ENTRY_LENGTH;
    }

    /** Length of a manifest of {@code cycles} entries, CRC included. */
    public static int length(final int cycles) {
        return entryOffset(cycles) + CRC_LENGTH;
    }
}
