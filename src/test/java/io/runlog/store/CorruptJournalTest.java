package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.ValueMode;
import io.runlog.codec.VarInt;
import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.UnsupportedFormatVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A journal holding a record this build cannot trust is refused on open with a typed error that
 * names the record's index and offset, and nothing is written to it.
 */
class CorruptJournalTest {
    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    @Test
    void shouldRejectAnUnknownRecordType() {
        final RunlogException e = openWithAppended(CorruptStoreException.class, new byte[]{99, 1, 0, 0});
        assertTrue(e.getMessage().contains("unknown record type 99"), e.getMessage());
        assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    }

    @Test
    void shouldRejectARecordOfANewerFormatVersion() {
        final RunlogException e = openWithAppended(UnsupportedFormatVersionException.class, new byte[]{4, 9, 0, 0});
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void shouldRejectAPointBatchWhoseRunsDoNotAddUp() {
        final byte[] batch = new byte[32 + 20 + 3];
        batch[0] = 3;
        batch[1] = 1;
        batch[4] = 1;  // one run
        batch[8] = 2;  // two points claimed...
        batch[32 + 4] = 1; // ...but the run holds one
        batch[32 + 8] = 1;
        batch[32 + 12] = 1;
        batch[32 + 16] = 1;
        final RunlogException e = openWithAppended(CorruptStoreException.class, batch);
        assertTrue(e.getMessage().contains("point batch"), e.getMessage());
    }

    @Test
    void shouldRejectAPointBatchWithImpossibleRingPositions() {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + 20 + 3).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 3).put(1, (byte) 1).putInt(4, 1).putInt(8, 1);
        b.putLong(16, Long.MAX_VALUE - 5).putLong(24, Long.MAX_VALUE); // would overflow the ring's positions
        b.putInt(32, 0).putInt(36, 1).putInt(40, 1).putInt(44, 1).putInt(48, 1); // metric 0: 1 point, 1 + 1 + 1 bytes
        b.put(52, (byte) 0).put(53, (byte) 0).put(54, (byte) 0xFF); // step 0, timestamp 0, value bits 0
        final RunlogException e = openWithAppended(CorruptStoreException.class, b.array());
        assertTrue(e.getMessage().contains("impossible ring positions"), e.getMessage());
    }

    @Test
    void shouldRejectAPointBatchRunWithAnUnknownValueMode() {
        final RunlogException e = openWithAppended(CorruptStoreException.class, batch(4, 4, 0, new byte[]{0}));
        assertTrue(e.getMessage().contains("impossible value coding: mode 4"), e.getMessage());
    }

    @Test
    void shouldRejectAFloat32RunInAVersion3Batch() {
        final RunlogException e = openWithAppended(CorruptStoreException.class, v3Batch(ValueMode.JOURNAL_FLOAT32, 0, 0));
        assertTrue(e.getMessage().contains("impossible value coding: mode 3"), e.getMessage());
    }

    @Test
    void shouldRejectAFloat32RunWithAnExponent() {
        final RunlogException e = openWithAppended(CorruptStoreException.class,
            batch(4, ValueMode.JOURNAL_FLOAT32, 1, new byte[]{0}));
        assertTrue(e.getMessage().contains("impossible value coding: mode 3, exponent 1"), e.getMessage());
    }

    @Test
    void shouldRejectAFloat32RunOfMoreThanFiveBytesAPoint() {
        final byte[] six = {-1, -1, -1, -1, -1, 1};
        final RunlogException e = openWithAppended(CorruptStoreException.class,
            batch(4, ValueMode.JOURNAL_FLOAT32, 0, six));
        assertTrue(e.getMessage().contains("6 value bytes"), e.getMessage());
    }

    @Test
    void shouldReadAFloat32Run() {
        appendToFreshStore(batch(4, ValueMode.JOURNAL_FLOAT32, 0, varint(Float32Coding.code(Float.floatToRawIntBits(-1.5f), 0))));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries m = e.readMetric("m");
            assertEquals(2, m.size());
            assertEquals(Double.doubleToRawLongBits(-1.5), m.valueBits(1));
        }
    }

    @Test
    void shouldRejectReadingAFloat32RunThatDecodesToANan() {
        appendToFreshStore(batch(4, ValueMode.JOURNAL_FLOAT32, 0, varint(Float32Coding.code(0x7FC00000, 0))));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final CorruptStoreException thrown = assertThrows(CorruptStoreException.class, () -> e.readMetric("m"));
            assertTrue(thrown.getMessage().contains("malformed column"), thrown.getMessage());
        }
    }

    private static byte[] varint(final long v) {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(VarInt.MAX_LENGTH);
        final long base = org.agrona.BufferUtil.address(b);
        final int n = (int) (VarInt.write(base, v) - base);
        final byte[] out = new byte[n];
        b.get(0, out);
        return out;
    }

    @Test
    void shouldRejectABitsRunWithAnExponent() {
        final RunlogException e = openWithAppended(CorruptStoreException.class, v3Batch(2, 1, 0));
        assertTrue(e.getMessage().contains("impossible value coding: mode 2, exponent 1"), e.getMessage());
    }

    @Test
    void shouldRejectADecimalRunWhoseExponentIsOutOfRange() {
        final RunlogException e = openWithAppended(CorruptStoreException.class,
            v3Batch(ValueMode.JOURNAL_DECIMAL, DecimalCoding.MAX_EXPONENT + 1, 0x02));
        assertTrue(e.getMessage().contains("mode 1, exponent 19"), e.getMessage());
    }

    @Test
    void shouldRejectAnXorRunWithAnExponent() {
        final RunlogException e = openWithAppended(CorruptStoreException.class,
            v3Batch(ValueMode.JOURNAL_XOR, 3, 0xFF));
        assertTrue(e.getMessage().contains("mode 0, exponent 3"), e.getMessage());
    }

    @Test
    void shouldRejectADecimalRunOfMoreThanTenBytesAPoint() {
        final byte[] eleven = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        final RunlogException e = openWithAppended(CorruptStoreException.class,
            v3Batch(ValueMode.JOURNAL_DECIMAL, 0, eleven));
        assertTrue(e.getMessage().contains("11 value bytes"), e.getMessage());
    }

    @Test
    void shouldRejectAnXorRunOfMoreThanNineBytesAPoint() {
        final byte[] ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        final RunlogException e = openWithAppended(CorruptStoreException.class, v3Batch(ValueMode.JOURNAL_XOR, 0, ten));
        assertTrue(e.getMessage().contains("10 value bytes"), e.getMessage());
    }

    @Test
    void shouldReadADecimalRunOfTenBytesAPoint() {
        // zigzag(Long.MIN_VALUE) is the longest varint: d = -2^63 at e = 0
        final byte[] ten = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        appendToFreshStore(v3Batch(ValueMode.JOURNAL_DECIMAL, 0, ten));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries m = e.readMetric("m");
            assertEquals(2, m.size());
            assertEquals(Double.doubleToRawLongBits(1.0), m.valueBits(0));
            assertEquals(Double.doubleToRawLongBits((double) Long.MIN_VALUE), m.valueBits(1));
        }
    }

    @Test
    void shouldRejectReadingADecimalRunWithBytesLeftAfterItsCount() {
        appendToFreshStore(v3Batch(ValueMode.JOURNAL_DECIMAL, 2, 0x02, 0x02));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final CorruptStoreException thrown = assertThrows(CorruptStoreException.class, () -> e.readMetric("m"));
            assertTrue(thrown.getMessage().contains("malformed column"), thrown.getMessage());
        }
    }

    @Test
    void shouldRejectAStringWhoseLengthRunsPastTheRecord() {
        // METRIC_DEFINED id 1 with a name length of 2^30
        final byte[] rec = {2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 'x'};
        final RunlogException e = openWithAppended(CorruptStoreException.class, rec);
        assertTrue(e.getMessage().contains("string length"), e.getMessage());
    }

    private RunlogException openWithAppended(final Class<? extends RunlogException> expected, final byte[] record) {
        final long lastBefore = appendToFreshStore(record);
        final Path journalDir = dir.resolve("projects/p/experiments/e/journal");
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final RunlogException thrown = assertThrows(expected, () -> store.project("p").openExperiment("e"));
            assertTrue(thrown.getMessage().contains(Long.toHexString(lastBefore)) || expected != CorruptStoreException.class,
                () -> "message names the record index " + Long.toHexString(lastBefore) + ": " + thrown.getMessage());
            return thrown;
        } finally {
            try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
                assertEquals(lastBefore, lastIndex(journal), "a refused journal is not written to");
            }
        }
    }

    /**
     * A version 3 batch of one run of one point of metric 0 (step 0, timestamp 0) covering ring
     * position [1, 2), with the given value coding and value column.
     */
    private static byte[] v3Batch(final int mode, final int exponent, final int... values) {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return v3Batch(mode, exponent, bytes);
    }

    private static byte[] v3Batch(final int mode, final int exponent, final byte[] values) {
        return batch(3, mode, exponent, values);
    }

    /** A POINT_BATCH of format {@code version}: one run of one point of metric 0 (step 0, timestamp 0), its value column {@code values}. */
    private static byte[] batch(final int version, final int mode, final int exponent, final byte[] values) {
        final int entry = PointBatchDescriptor.LENGTH;
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(entry + 24 + 2 + values.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 3).put(1, (byte) version).putInt(4, 1).putInt(8, 1).putLong(16, 1).putLong(24, 2);
        b.putInt(entry, 0).putInt(entry + 4, 1).putInt(entry + 8, 1).putInt(entry + 12, 1).putInt(entry + 16, values.length);
        b.put(entry + 20, (byte) mode).put(entry + 21, (byte) exponent);
        b.put(entry + 24, (byte) 0).put(entry + 25, (byte) 0);
        b.put(entry + 26, values);
        return b.array();
    }

    /** A store whose experiment p/e logged one point of metric m (id 0), then {@code record}; returns its index. */
    private long appendToFreshStore(final byte[] record) {
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("m").log(1, 1.0);
        }
        final Path journalDir = dir.resolve("projects/p/experiments/e/journal");
        if (record.length > 1 && (record[1] & 0xff) < JournalLayout.VERSION_CHECKSUM) {
            downgradeToVersion4(journalDir); // an older record follows older records only (format 5 records carry a CRC32C)
        }
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            return journal.append(new RecordEncoder(journal.maxRecordLength()).putBytes(record));
        }
    }

    /**
     * Rewrites the journal as a version 4 build would have written the same records: version
     * bytes 4 (the header's format version field too), no CRC32C trailers, point batches in the
     * version 4 layout ({@link #batchAsVersion4}); the other bodies are the same bytes.
     */
    private void downgradeToVersion4(final Path journalDir) {
        final java.util.List<byte[]> records = new java.util.ArrayList<>();
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            journal.rewind();
            net.openhft.chronicle.wire.DocumentContext dc;
            while ((dc = journal.next()) != null) {
                try (net.openhft.chronicle.wire.DocumentContext doc = dc) {
                    final RecordDecoder d = journal.decoder();
                    final byte[] current = new byte[(int) d.length()]; // without the trailer
                    d.bytes().read(d.start(), current, 0, current.length);
                    final byte[] raw = current[0] == RecordType.POINT_BATCH.code ? batchAsVersion4(current) : current;
                    raw[RecordHeaderDescriptor.VERSION_OFFSET] = 4;
                    if (raw[0] == RecordType.EXPERIMENT_HEADER.code) {
                        raw[4] = 4;
                    }
                    records.add(raw);
                }
            }
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(journalDir)) {
            for (final Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            for (final byte[] raw : records) {
                journal.append(new RecordEncoder(journal.maxRecordLength()).putBytes(raw));
            }
        }
    }

    /**
     * A format 6 POINT_BATCH body in the version 4 layout: 24-byte entries without codings and run
     * CRC, no directory CRC, and each run's columns decoded and coded again as version 4 codes them
     * (zigzag varint deltas, values XOR), whatever the format 6 writer chose.
     */
    private static byte[] batchAsVersion4(final byte[] v6) {
        final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(v6).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final int runs = in.getInt(PointBatchDescriptor.RUN_COUNT_OFFSET);
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(v6, 0, PointBatchDescriptor.LENGTH);
        final java.io.ByteArrayOutputStream columns = new java.io.ByteArrayOutputStream();
        long at = PointBatchDescriptor.runsOffset(runs, 6);
        for (int r = 0; r < runs; r++) {
            final int e = (int) PointBatchDescriptor.entryOffset(r, BatchEntryDescriptor.LENGTH);
            final int n = in.getInt(e + BatchEntryDescriptor.COUNT_OFFSET);
            final int[] lengths = {in.getInt(e + BatchEntryDescriptor.STEP_BYTES_OFFSET),
                in.getInt(e + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET), in.getInt(e + BatchEntryDescriptor.VALUE_BYTES_OFFSET)};
            final int[] v4Lengths = new int[3];
            for (int c = 0; c < 3; c++) {
                final long[] v = new long[n];
                final long base = VarInt.BYTE_ARRAY_BASE + at;
                final long end = c < 2 ? io.runlog.codec.FrameColumn.decode(v6, base, base + lengths[c], n, v, 0)
                    : io.runlog.codec.DoubleColumn.decode(v6, base, base + lengths[c], n, v, 0);
                assertEquals(base + lengths[c], end, "a format 6 run as this build writes it");
                final int before = columns.size();
                long last = 0;
                for (final long x : v) {
                    if (c < 2) {
                        writeVarint(columns, (x - last) << 1 ^ (x - last) >> 63);
                    } else {
                        writeXor(columns, x ^ last);
                    }
                    last = x;
                }
                v4Lengths[c] = columns.size() - before;
                at += lengths[c];
            }
            final java.nio.ByteBuffer entry = java.nio.ByteBuffer.allocate(BatchEntryDescriptor.LENGTH_V5)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            entry.putInt(in.getInt(e + BatchEntryDescriptor.METRIC_ID_OFFSET)).putInt(n)
                .putInt(v4Lengths[0]).putInt(v4Lengths[1]).putInt(v4Lengths[2]).put((byte) ValueMode.JOURNAL_XOR);
            out.write(entry.array(), 0, BatchEntryDescriptor.LENGTH_V5);
        }
        out.write(columns.toByteArray(), 0, columns.size());
        return out.toByteArray();
    }

    private static void writeVarint(final java.io.ByteArrayOutputStream out, final long z) {
        long v = z;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** One XOR code (docs/format/journal.md, mode 0). */
    private static void writeXor(final java.io.ByteArrayOutputStream out, final long x) {
        if (x == 0) {
            out.write(0xFF);
            return;
        }
        final int lead = Math.min(7, Long.numberOfLeadingZeros(x) / 8);
        final int trail = Math.min(7 - lead, Long.numberOfTrailingZeros(x) / 8);
        out.write(lead << 4 | trail);
        for (int b = trail; b < 8 - lead; b++) {
            out.write((int) (x >>> (8 * b)) & 0xFF);
        }
    }

    private static long lastIndex(final Journal journal) {
        return journal.lastIndex();
    }
}
