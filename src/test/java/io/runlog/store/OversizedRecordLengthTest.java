package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A damaged length in a record's Chronicle header can claim more bytes than Chronicle maps for
 * it (a chunk and its overlap). The CRC32C check then must not read the record through a raw
 * address past the mapping: that is a SIGSEGV that takes the whole process down, not an error.
 * The fuzzer hit it once (stop 20, {@code ~StubRoutines::updateBytesCRC32C}); these lengths
 * reproduce it deterministically: each open and read is a typed {@link RunlogException} or the
 * exact points, and the JVM lives.
 */
class OversizedRecordLengthTest {
    private static final int POINTS = 400_000;

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    @ParameterizedTest(name = "a record header claiming {0} bytes")
    @ValueSource(ints = {300 * 1024, 1_300_000, 2 * 1024 * 1024, 3 * 1024 * 1024, 64 * 1024 * 1024, 0x3FFF_FFFF})
    void shouldRefuseARecordLongerThanTheJournalWritesWithoutReadingPastTheMapping(final int claimed) throws IOException {
        final Path store = dir.resolve("s");
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int k = 0; k < POINTS; k++) {
                e.metric("loss").log(k, 1000 + k, Math.sin(k) + k * 1e-7);
            }
        }
        final Path cycle = cycleFile(store);
        final byte[] bytes = Files.readAllBytes(cycle);
        final int record = firstIndexOf(bytes, (byte) RecordType.POINT_BATCH.code, (byte) JournalLayout.VERSION);
        final int header = record - 4; // its Chronicle header: 30 bits of length, two flag bits
        try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
            f.seek(header);
            final int old = Integer.reverseBytes(f.readInt());
            f.seek(header);
            f.writeInt(Integer.reverseBytes((old & 0xC000_0000) | claimed));
        }
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.project("p").openExperiment("e")) {
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(POINTS, loss.size(), "never silently fewer");
            for (int k = 0; k < POINTS; k += 997) {
                assertEquals(Math.sin(k) + k * 1e-7, loss.value(k));
            }
        } catch (RunlogException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    private static Path cycleFile(final Path root) throws IOException {
        try (Stream<Path> files = Files.list(StoreLayout.journalDir(root.resolve("projects/p/experiments/e")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).findFirst().orElseThrow();
        }
    }

    private static int firstIndexOf(final byte[] bytes, final byte a, final byte b) {
        for (int i = 4; i < bytes.length - 4; i++) {
            if (bytes[i] == a && bytes[i + 1] == b && bytes[i + 2] == 0 && bytes[i + 3] == 0) {
                return i;
            }
        }
        throw new AssertionError("no record");
    }
}
