package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Format 6: a reader of one metric checks the batch's header and directory (Directory CRC32C)
 * and its own run (Run CRC32C), not the whole record. Damage done to a cycle file after the
 * experiment opened (so the open-time scan saw it intact) is refused by the reader of the
 * damaged part, naming the file and record, while the other metrics of the same record still read
 * exactly: proof that their reads did not check the damaged run.
 */
class RunChecksumReadTest {
    private static final int POINTS = 1_000;
    private static final String[] METRICS = {"a", "b", "c"};

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0).backgroundDrain(false);

    @Test
    void shouldRefuseADamagedRunToItsReaderAndStillReadTheOtherRunsOfTheRecord() throws IOException {
        writeStore();
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final Batch batch = findBatch();
            flip(batch.runOffset(1) + 3); // a byte of metric b's run
            final CorruptStoreException thrown = assertThrows(CorruptStoreException.class, () -> e.readMetric("b"));
            assertTrue(thrown.getMessage().contains("run of metric 'b' fails its CRC32C"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(".cq4 record at index "), thrown.getMessage());
            assertExact(e.readMetric("a"), 0);
            assertExact(e.readMetric("c"), 2);
        }
    }

    @Test
    void shouldRefuseEveryRunOfARecordWhoseDirectoryWasDamaged() throws IOException {
        writeStore();
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final Batch batch = findBatch();
            flip(batch.start + PointBatchDescriptor.entryOffset(2, BatchEntryDescriptor.LENGTH)
                + BatchEntryDescriptor.RESERVED_OFFSET); // a reserved byte of metric c's entry
            for (final String m : METRICS) {
                final CorruptStoreException thrown = assertThrows(CorruptStoreException.class, () -> e.readMetric(m));
                assertTrue(thrown.getMessage().contains("Directory CRC32C mismatch"), thrown.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseAtOpenARecordDamagedAnywhere() throws IOException {
        writeStore();
        final Batch batch = findBatch();
        flip(batch.runOffset(2) + 1);
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final CorruptStoreException thrown = assertThrows(CorruptStoreException.class,
                () -> store.project("p").openExperiment("e"));
            assertTrue(thrown.getMessage().contains("CRC32C mismatch"), thrown.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private void writeStore() {
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int k = 0; k < POINTS; k++) {
                for (int m = 0; m < METRICS.length; m++) {
                    e.metric(METRICS[m]).log(k, 1000 + k, value(m, k));
                }
            }
            e.metrics(); // one batch of three runs
        }
    }

    private static double value(final int metric, final int k) {
        return Math.exp(-k / 300.0) * (metric + 1) + Math.sin(k * 0.37 + metric) * 1e-3;
    }

    private static void assertExact(final MetricSeries series, final int metric) {
        assertEquals(POINTS, series.size());
        for (int k = 0; k < POINTS; k++) {
            assertEquals(k, series.step(k));
            assertEquals(1000 + k, series.timestamp(k));
            assertEquals(Double.doubleToRawLongBits(value(metric, k)), series.valueBits(k));
        }
    }

    /** Where the batch record and its runs lie in the cycle file. */
    private record Batch(Path file, long start, ByteBuffer record) {
        long runOffset(final int r) {
            long at = start + PointBatchDescriptor.runsOffset(METRICS.length, JournalLayout.VERSION);
            for (int i = 0; i < r; i++) {
                final int entry = (int) PointBatchDescriptor.entryOffset(i, BatchEntryDescriptor.LENGTH);
                at += record.getInt(entry + BatchEntryDescriptor.STEP_BYTES_OFFSET)
                    + record.getInt(entry + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET)
                    + record.getInt(entry + BatchEntryDescriptor.VALUE_BYTES_OFFSET);
            }
            return at;
        }
    }

    private Batch lastFound;

    private Batch findBatch() throws IOException {
        final Path file = cycleFile();
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put((byte) RecordType.POINT_BATCH.code)
            .put((byte) JournalLayout.VERSION).putShort((short) 0).putInt(METRICS.length).putInt(METRICS.length * POINTS).array();
        for (int i = 0; i + header.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + header.length, header, 0, header.length)) {
                lastFound = new Batch(file, i, ByteBuffer.wrap(bytes, i, bytes.length - i).slice().order(ByteOrder.LITTLE_ENDIAN));
                return lastFound;
            }
        }
        throw new AssertionError("no batch of " + METRICS.length + " runs in " + file);
    }

    /** Flips one bit of the cycle file at {@code at} with a plain file write (the journal's mapping sees it). */
    private void flip(final long at) throws IOException {
        try (FileChannel ch = FileChannel.open(lastFound.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            ch.write(one, at);
        }
    }

    private Path cycleFile() throws IOException {
        try (Stream<Path> files = Files.list(StoreLayout.journalDir(dir.resolve("projects/p/experiments/e")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).findFirst().orElseThrow();
        }
    }
}
