package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Journal format 5: every record carries a CRC32C, and damage to any byte of a record of a
 * closed store is refused with a {@link CorruptStoreException} naming the journal, the record's
 * index and what failed, at open (the catalog scan checks every record) or at the read. Never a
 * changed value.
 */
class JournalChecksumTest {
    private static final String LINE = "epoch 3 done, loss 0.4125";
    private static final int POINTS = 300;

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0).backgroundDrain(false);

    @Test
    void shouldRefuseAnyDamagedByteOfAColdRecordAtOpen() throws IOException {
        final Path pristine = writeStore(dir.resolve("pristine"));
        final Path cycle = cycleFile(pristine);
        final byte[] bytes = Files.readAllBytes(cycle);
        final int text = indexOf(bytes, LINE.getBytes(StandardCharsets.UTF_8));
        // OUTPUT_LINE: 16 bytes of fixed fields, the text's i32 length, the text, the CRC32C
        final int start = text - 4 - 16;
        final int end = text + LINE.length() + RecordTrailerDescriptor.LENGTH;
        assertEquals(RecordType.OUTPUT_LINE.code, bytes[start]);
        final Random random = new Random(TestSeed.of("JournalChecksumTest.cold"));
        for (int at = start; at < end; at++) {
            final int bit = random.nextInt(8);
            final Path copy = damagedCopy(pristine, "cold-" + at, cycle, at, bit);
            final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openAndReadAll(copy),
                "byte " + at + " bit " + bit + " of the output line record");
            assertTrue(e.getMessage().contains("journal ") && e.getMessage().contains("index "), e.getMessage());
            deleteTree(copy);
        }
    }

    @Test
    void shouldRefuseADamagedPointBatchAtOpenInsteadOfReturningAChangedValue() throws IOException {
        final Path pristine = writeStore(dir.resolve("pristine"));
        final Path cycle = cycleFile(pristine);
        final byte[] bytes = Files.readAllBytes(cycle);
        final int batch = indexOfPointBatch(bytes);
        final Random random = new Random(TestSeed.of("JournalChecksumTest.batch"));
        for (int k = 0; k < 24; k++) {
            final int at = batch + random.nextInt(PointBatchDescriptor.LENGTH + 200);
            final int bit = random.nextInt(8);
            final Path copy = damagedCopy(pristine, "batch-" + k, cycle, at, bit);
            final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openAndReadAll(copy),
                "byte " + at + " bit " + bit + " of the point batch");
            assertTrue(e.getMessage().contains("CRC32C") || e.getMessage().contains("carries no CRC32C"), e.getMessage());
            deleteTree(copy);
        }
    }

    @Test
    void shouldNameTheRecordIndexAndTheMismatchingChecksums() throws IOException {
        final Path pristine = writeStore(dir.resolve("pristine"));
        final Path cycle = cycleFile(pristine);
        final int text = indexOf(Files.readAllBytes(cycle), LINE.getBytes(StandardCharsets.UTF_8));
        final Path copy = damagedCopy(pristine, "named", cycle, text + 2, 0);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openAndReadAll(copy));
        assertTrue(e.getMessage().matches("(?s)journal cycle file .*\\.cq4 record at index [0-9a-f]+, offset \\d+: CRC32C mismatch: "
            + "the trailer holds 0x[0-9a-f]{8}, the record's \\d+ bytes \\(type code 5, version 6\\) give 0x[0-9a-f]{8}"),
            e.getMessage());
    }

    @Test
    void shouldRefuseAChecksummedRecordWhoseVersionByteWasLowered() throws IOException {
        final Path pristine = writeStore(dir.resolve("pristine"));
        final Path cycle = cycleFile(pristine);
        final int text = indexOf(Files.readAllBytes(cycle), LINE.getBytes(StandardCharsets.UTF_8));
        final Path copy = damagedCopy(pristine, "lowered", cycle, text - 20 + RecordHeaderDescriptor.VERSION_OFFSET, 1); // 6 -> 4
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openAndReadAll(copy));
        assertTrue(e.getMessage().contains("record of format version 4 carries no CRC32C"), e.getMessage());
    }

    @Test
    void shouldChecksumTheSequenceNumberAndEveryByteOfTheGoldenRecords() throws IOException {
        final List<String> lines = Files.readAllLines(Path.of("src/test/resources/golden/journal-v6.hex"));
        for (int seq = 0; seq < lines.size(); seq++) {
            final String line = lines.get(seq);
            final byte[] record = HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1));
            final CRC32C crc = new CRC32C();
            crc.update(new byte[]{(byte) seq, (byte) (seq >>> 8), (byte) (seq >>> 16), (byte) (seq >>> 24)});
            crc.update(record, 0, record.length - 4);
            final int stored = java.nio.ByteBuffer.wrap(record, record.length - 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            assertEquals((int) crc.getValue(), stored, "record " + seq + ": " + line);
            assertEquals(JournalLayout.VERSION, record[RecordHeaderDescriptor.VERSION_OFFSET], line);
            if (record[RecordHeaderDescriptor.TYPE_OFFSET] == RecordType.POINT_BATCH.code) {
                assertBatchDirectoryAndRunChecksums(record, seq, line);
            }
        }
    }

    /** A format 6 POINT_BATCH: its Directory CRC32C (sequence, header, directory) and each run's CRC32C. */
    private static void assertBatchDirectoryAndRunChecksums(final byte[] record, final int seq, final String line) {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final int runs = b.getInt(PointBatchDescriptor.RUN_COUNT_OFFSET);
        final int crcAt = (int) PointBatchDescriptor.directoryCrcOffset(runs);
        final CRC32C directory = new CRC32C();
        directory.update(new byte[]{(byte) seq, (byte) (seq >>> 8), (byte) (seq >>> 16), (byte) (seq >>> 24)});
        directory.update(record, 0, crcAt);
        assertEquals((int) directory.getValue(), b.getInt(crcAt), "directory of record " + seq + ": " + line);
        int at = (int) PointBatchDescriptor.runsOffset(runs, JournalLayout.VERSION);
        for (int r = 0; r < runs; r++) {
            final int entry = (int) PointBatchDescriptor.entryOffset(r, BatchEntryDescriptor.LENGTH);
            final int length = b.getInt(entry + BatchEntryDescriptor.STEP_BYTES_OFFSET)
                + b.getInt(entry + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET) + b.getInt(entry + BatchEntryDescriptor.VALUE_BYTES_OFFSET);
            final CRC32C run = new CRC32C();
            run.update(record, at, length);
            assertEquals((int) run.getValue(), b.getInt(entry + BatchEntryDescriptor.RUN_CRC_OFFSET), "run " + r + " of record " + seq);
            at += length;
        }
        assertEquals(record.length - RecordTrailerDescriptor.LENGTH, at, "the runs end at the trailer: " + line);
    }

    @Test
    void shouldReadBackAnUndamagedCopyExactly() throws IOException {
        final Path pristine = writeStore(dir.resolve("pristine"));
        openAndReadAll(pristine);
    }

    // ------------------------------------------------------------------ helpers

    private Path writeStore(final Path root) {
        try (RunlogStore store = RunlogStore.open(root, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.logParameter("lr", 0.001);
            for (int k = 0; k < POINTS; k++) {
                e.metric("loss").log(k, 1000 + k, 2.0 / (k + 1));
            }
            e.metrics(); // one batch
            e.logOutput(OutputChannel.STDOUT, LINE);
        }
        return root;
    }

    /** Opens the store's experiment and reads everything; checks it is exactly what {@link #writeStore} wrote. */
    private void openAndReadAll(final Path root) {
        try (RunlogStore store = RunlogStore.open(root, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(POINTS, loss.size());
            for (int k = 0; k < POINTS; k++) {
                assertEquals(k, loss.step(k));
                assertEquals(1000 + k, loss.timestamp(k));
                assertEquals(Double.doubleToRawLongBits(2.0 / (k + 1)), loss.valueBits(k));
            }
            assertEquals(0.001, e.parameters().get("lr").doubleValue());
            assertEquals(LINE, e.outputLines().get(0).text());
        }
    }

    private static Path cycleFile(final Path root) throws IOException {
        try (Stream<Path> files = Files.list(StoreLayout.journalDir(root.resolve("projects/p/experiments/e")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).findFirst().orElseThrow();
        }
    }

    private Path damagedCopy(final Path pristine, final String name, final Path cycle, final int at, final int bit)
        throws IOException {
        final Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(pristine)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                final Path target = copy.resolve(pristine.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        final Path damaged = copy.resolve(pristine.relativize(cycle).toString());
        final byte[] bytes = Files.readAllBytes(damaged);
        bytes[at] ^= (byte) (1 << bit);
        Files.write(damaged, bytes);
        return copy;
    }

    private static void deleteTree(final Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** The start of the POINT_BATCH record: type 3, version 5, reserved 0, one run, {@link #POINTS} points. */
    private static int indexOfPointBatch(final byte[] bytes) {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) RecordType.POINT_BATCH.code).put((byte) JournalLayout.VERSION).putShort((short) 0).putInt(1).putInt(POINTS);
        return indexOf(bytes, b.array());
    }
}
