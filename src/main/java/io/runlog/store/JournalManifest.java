package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;
import io.runlog.UnsupportedFormatVersionException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * An experiment's journal manifest ({@link ManifestDescriptor}, {@code docs/format/store.md}):
 * which cycle files the journal has and how many records each held, and whether a point ring may
 * hold points the journal does not. Written when the journal is created, when a ring is created,
 * before a ring is deleted (at close or after its recovery), at close and at every {@code sync}
 * (then forced to the device); checked when the experiment opens, after the catalog scan counted
 * the records it could read. So a cycle file that is missing, truncated, zeroed, or hides records
 * behind a damaged document header, and a ring lost by an experiment that was not closed cleanly,
 * are refused with a {@link CorruptStoreException} instead of opening as less data.
 *
 * <p>Owned by one {@link ExperimentEngine}, used under its lock. Written whole under
 * {@code journal.manifest.tmp} and renamed, so a crash leaves the old or the new one.
 */
final class JournalManifest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FileSystemFacade fs;
    private final Path file;
    private final Path tmp;
    /** What the last write (or the manifest read at open) said; a write that would say the same is skipped. */
    private long writtenRecords = -1;
    private boolean writtenRing;
    private boolean writtenDurably;

    /** What a manifest file says. */
    record Content(boolean ringInUse, int[] cycles, long[] records) {
        long totalRecords() {
            long total = 0;
            for (final long r : records) {
                total += r;
            }
            return total;
        }
    }

    JournalManifest(final FileSystemFacade fs, final Path experimentDir) {
        this.fs = fs;
        this.file = StoreLayout.manifestFile(experimentDir);
        this.tmp = file.resolveSibling(file.getFileName() + StoreLayout.MANIFEST_TMP_SUFFIX);
    }

    Path file() {
        return file;
    }

    /**
     * Reads and checks the manifest; null if there is none.
     *
     * @throws CorruptStoreException if its length, CRC32C, magic or entries are wrong
     */
    Content read() {
        final byte[] bytes;
        try {
            if (!fs.exists(file)) {
                return null;
            }
            bytes = fs.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read journal manifest " + file + ": " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    /** Parses manifest bytes (see {@link ManifestDescriptor}); {@code file} names them in errors. */
    static Content parse(final Path file, final byte[] bytes) {
        if (bytes.length < ManifestDescriptor.length(0)) {
            throw corrupt(file, 0, "is " + bytes.length + " bytes, shorter than an empty manifest ("
                + ManifestDescriptor.length(0) + ")");
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(LE);
        final int crcAt = bytes.length - ManifestDescriptor.CRC_LENGTH;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcAt);
        if ((int) crc.getValue() != b.getInt(crcAt)) {
            throw corrupt(file, crcAt, String.format("CRC32C mismatch: the trailer holds 0x%08x, its %d bytes give 0x%08x",
                b.getInt(crcAt), crcAt, (int) crc.getValue()));
        }
        if (b.getLong(ManifestDescriptor.MAGIC_OFFSET) != ManifestDescriptor.MAGIC) {
            throw corrupt(file, ManifestDescriptor.MAGIC_OFFSET, "bad magic");
        }
        final int version = Short.toUnsignedInt(b.getShort(ManifestDescriptor.VERSION_OFFSET));
        if (version > ManifestDescriptor.VERSION) {
            throw new UnsupportedFormatVersionException("journal manifest " + file + " is of format version " + version
                + ", this build reads up to " + ManifestDescriptor.VERSION);
        }
        if (version == 0) {
            throw corrupt(file, ManifestDescriptor.VERSION_OFFSET, "format version 0");
        }
        final int ring = Byte.toUnsignedInt(b.get(ManifestDescriptor.RING_OFFSET));
        final int count = b.getInt(ManifestDescriptor.CYCLE_COUNT_OFFSET);
        if (ring > 1 || count < 0 || count > ManifestDescriptor.MAX_CYCLES || ManifestDescriptor.length(count) != bytes.length) {
            throw corrupt(file, ManifestDescriptor.RING_OFFSET, "impossible header: ring flag " + ring + ", " + count
                + " cycles in " + bytes.length + " bytes");
        }
        final int[] cycles = new int[count];
        final long[] records = new long[count];
        for (int i = 0; i < count; i++) {
            final int at = ManifestDescriptor.entryOffset(i);
            cycles[i] = b.getInt(at + ManifestDescriptor.ENTRY_CYCLE_OFFSET);
            records[i] = b.getLong(at + ManifestDescriptor.ENTRY_RECORDS_OFFSET);
            if (cycles[i] < 0 || (i > 0 && cycles[i] <= cycles[i - 1]) || records[i] < 1) {
                throw corrupt(file, at, "impossible entry " + i + ": cycle " + cycles[i] + ", " + records[i] + " records");
            }
        }
        return new Content(ring == 1, cycles, records);
    }

    /**
     * Checks, after the catalog scan counted every record it could read, that the journal holds at
     * least what the manifest says, and that a ring the manifest says was in use is there.
     *
     * @param manifest      what {@link #read} returned (null: none)
     * @param headerVersion the format version of the journal's EXPERIMENT_HEADER record (0: none)
     * @param ringFile      the experiment's ring file, or null not to look for it (a read-only open:
     *                      its writer may close, deleting the ring, at any time)
     * @throws CorruptStoreException naming the cycle file, the first missing record's index and what failed
     */
    void check(final Content manifest, final Journal journal, final int headerVersion, final Path ringFile) {
        if (manifest == null) {
            if (headerVersion >= JournalLayout.VERSION_CHECKSUM) {
                throw new CorruptStoreException("journal manifest " + file + " is missing, but the journal "
                    + journal.dir() + " was created in format " + headerVersion + ", which writes it before its first record");
            }
            return;
        }
        for (int i = 0; i < manifest.cycles().length; i++) {
            final int cycle = manifest.cycles()[i];
            final long expected = manifest.records()[i];
            final long found = journal.recordsIn(cycle);
            if (found >= expected) {
                continue;
            }
            final Path cycleFile = journal.cycleFile(cycle);
            if (!fs.exists(cycleFile)) {
                throw new CorruptStoreException("journal cycle file " + cycleFile + " is missing: the manifest " + file
                    + " says it held " + expected + " records");
            }
            throw new CorruptStoreException("journal cycle file " + cycleFile + " holds " + found + " readable records,"
                + " the manifest " + file + " says " + expected + ": records from index "
                + Long.toHexString(journal.index(cycle, found)) + " on are lost (the file is truncated or zeroed,"
                + " or a damaged document header hides them)");
        }
        if (ringFile != null && manifest.ringInUse() && !fs.exists(ringFile)) {
            throw new CorruptStoreException("experiment was not closed cleanly (its manifest " + file
                + " says a point ring was in use) and its point ring " + ringFile + " is missing: the points it held are lost");
        }
        writtenRecords = manifest.totalRecords();
        writtenRing = manifest.ringInUse();
        writtenDurably = false;
    }

    /**
     * Writes the manifest for the journal's records as counted now and {@code ringInUse}, unless
     * the last write said the same (and was durable if {@code durable} is asked). With
     * {@code durable} the file and the directory are forced to the device ({@code sync}).
     *
     * @throws StoreAccessException if it cannot be written
     */
    void write(final Journal journal, final boolean ringInUse, final boolean durable) {
        long total = 0;
        for (int i = 0; i < journal.cycleEntries(); i++) {
            total += journal.cycleRecords(i);
        }
        if (total == writtenRecords && ringInUse == writtenRing && (writtenDurably || !durable)) {
            return;
        }
        final byte[] bytes = encode(journal, ringInUse);
        try {
            try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                final ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            fs.moveAtomically(tmp, file);
            if (durable) {
                fs.forceDirectory(file.getParent());
            }
        } catch (final IOException e) {
            writtenRecords = -1;
            throw new StoreAccessException("cannot write journal manifest " + file + ": " + e.getMessage(), e);
        }
        writtenRecords = total;
        writtenRing = ringInUse;
        writtenDurably = durable;
    }

    static byte[] encode(final Journal journal, final boolean ringInUse) {
        final int n = journal.cycleEntries();
        final int[] cycles = new int[n];
        final long[] records = new long[n];
        for (int i = 0; i < n; i++) {
            cycles[i] = journal.cycle(i);
            records[i] = journal.cycleRecords(i);
        }
        return encode(new Content(ringInUse, cycles, records));
    }

    /** The bytes of a manifest saying {@code content} ({@link ManifestDescriptor}). */
    static byte[] encode(final Content content) {
        final int n = content.cycles().length;
        final byte[] bytes = new byte[ManifestDescriptor.length(n)];
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(LE);
        b.putLong(ManifestDescriptor.MAGIC_OFFSET, ManifestDescriptor.MAGIC);
        b.putShort(ManifestDescriptor.VERSION_OFFSET, (short) ManifestDescriptor.VERSION);
        b.put(ManifestDescriptor.RING_OFFSET, (byte) (content.ringInUse() ? 1 : 0));
        b.putInt(ManifestDescriptor.CYCLE_COUNT_OFFSET, n);
        for (int i = 0; i < n; i++) {
            final int at = ManifestDescriptor.entryOffset(i);
            b.putInt(at + ManifestDescriptor.ENTRY_CYCLE_OFFSET, content.cycles()[i]);
            b.putLong(at + ManifestDescriptor.ENTRY_RECORDS_OFFSET, content.records()[i]);
        }
        final int crcAt = bytes.length - ManifestDescriptor.CRC_LENGTH;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcAt);
        b.putInt(crcAt, (int) crc.getValue());
        return bytes;
    }

    private static CorruptStoreException corrupt(final Path file, final int offset, final String what) {
        return new CorruptStoreException("journal manifest " + file + ", offset " + offset + ": " + what);
    }
}
