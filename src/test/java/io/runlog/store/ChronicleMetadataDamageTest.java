package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chronicle's {@code metadata.cq4t} holds nothing Runlog needs that the cycle files do not (its
 * locks, the directory listing's cycle range, replication indices), so a journal rebuilds it
 * whenever it opens: damage to it, or its loss, changes nothing a reader sees, and no Chronicle
 * exception escapes the API.
 */
class ChronicleMetadataDamageTest {
    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    @Test
    void shouldOpenAndAppendToAnExperimentWhoseChronicleLockBytesWereOverwritten() throws IOException {
        writeStore();
        final Path metadata = metadataFile();
        final byte[] bytes = Files.readAllBytes(metadata);
        Arrays.fill(bytes, 336, 354, (byte) 0x5a); // the bytes of the issue: Chronicle's write lock
        Files.write(metadata, bytes);
        reopenAppendAndCheck();
    }

    @Test
    void shouldOpenAnExperimentWhoseChronicleMetadataIsGarbage() throws IOException {
        writeStore();
        final Path metadata = metadataFile();
        final byte[] bytes = Files.readAllBytes(metadata);
        final Random random = new Random(TestSeed.of("ChronicleMetadataDamageTest.garbage"));
        for (int k = 0; k < 64; k++) {
            bytes[random.nextInt(Math.min(bytes.length, 4096))] = (byte) random.nextInt(256);
        }
        Files.write(metadata, bytes);
        reopenAppendAndCheck();
    }

    @Test
    void shouldOpenAnExperimentWhoseChronicleMetadataIsMissingOrEmpty() throws IOException {
        writeStore();
        Files.delete(metadataFile());
        reopenAppendAndCheck();
        Files.write(metadataFile(), new byte[0]);
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            assertEquals(101, e.readMetric("loss").size());
        }
    }

    private void writeStore() {
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int k = 0; k < 100; k++) {
                e.metric("loss").log(k, 1000 + k, k * 0.5);
            }
            e.logParameter("lr", 0.01);
        }
    }

    private void reopenAppendAndCheck() {
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            e.metric("loss").log(100, 1100, 50.0);
            e.logParameter("lr", 0.02);
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(101, loss.size());
            for (int k = 0; k <= 100; k++) {
                assertEquals(k * 0.5, loss.value(k));
            }
        }
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            assertEquals(101, e.readMetric("loss").size());
            assertEquals(2, e.parameterHistory("lr").size());
        }
    }

    private Path metadataFile() {
        return StoreLayout.journalDir(dir.resolve("projects/p/experiments/e")).resolve(StoreLayout.JOURNAL_METADATA_FILE);
    }
}
