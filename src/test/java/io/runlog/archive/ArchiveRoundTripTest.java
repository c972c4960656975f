package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.ExportResult;
import io.runlog.ImportResult;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void shouldImportExactlyWhatWasExported() throws Exception {
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 100_000, 0);
            final ExportResult r = source.exportExperiment("llm", "run", archive);
            assertEquals(Files.size(archive), r.bytes());
            assertEquals(100_000 * 2 + 100_000 / 7 + 1, r.points());
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            final ImportResult r = target.importArchive(archive);
            assertTrue(r.createdExperiment());
            assertEquals(100_000 * 2 + 100_000 / 7 + 1, r.pointsAdded());
            assertEquals(0, r.skipped());
            assertEquals(4 + 2 + 2 + 1, r.otherAdded());
        }
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"));
             Experiment a = source.project("llm").openExperiment("run");
             Experiment b = target.project("llm").openExperiment("run")) {
            ArchiveFixtures.assertSameContent(a, b);
        }
    }

    @Test
    void shouldAddNothingWhenTheSameArchiveIsImportedTwice() {
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 5_000, 0);
            source.exportExperiment("llm", "run", archive);
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            final ImportResult first = target.importArchive(archive);
            final ImportResult second = target.importArchive(archive);
            assertEquals(0, second.added());
            assertEquals(first.added(), second.skipped());
            assertFalse(second.createdExperiment());
        }
    }

    @Test
    void shouldAddOnlyWhatIsNewFromALaterExportOfTheSameExperiment() {
        final Path early = dir.resolve("early.rla");
        final Path late = dir.resolve("late.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 3_000, 0);
            source.exportExperiment("llm", "run", early);
            ArchiveFixtures.fill(source, 2_000, 3_000);
            try (Experiment e = source.project("llm").openExperiment("run")) {
                e.log("late metric", 1, 1, 0.5);
                e.logParameter("late parameter", "x");
            }
            source.exportExperiment("llm", "run", late);
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            target.importArchive(early);
            final ImportResult r = target.importArchive(late);
            assertEquals(2_000 * 2 + (5_000 / 7 + 1) - (3_000 / 7 + 1) + 1, r.pointsAdded());
            assertEquals(3_000 * 2 + 3_000 / 7 + 1, r.pointsSkipped());
            assertEquals(4 + 2 + 2 + 1 + 1, r.otherAdded());
            final ImportResult again = target.importArchive(early);
            assertEquals(0, again.added());
        }
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"));
             Experiment a = source.project("llm").openExperiment("run");
             Experiment b = target.project("llm").openExperiment("run")) {
            ArchiveFixtures.assertSameContent(a, b);
        }
    }

    @Test
    void shouldCarryPayloadsLargerThanOneChunkAndDetectADamagedChunk() throws Exception {
        final Path archive = dir.resolve("big.rla");
        final byte[] payload = new byte[(5 << 20) / 2 + 123];
        new java.util.SplittableRandom(9).nextBytes(payload);
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             Experiment e = source.projectOrCreate("p", io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("x")) {
            e.logItem(io.runlog.ItemType.MODEL, "weights.bin", java.util.Map.of("format", "raw"), payload);
            e.export(archive);
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            assertEquals(1, target.importArchive(archive).otherAdded());
            try (Experiment e = target.project("p").openExperiment("x")) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(payload, e.readPayload(e.items().get(0)));
            }
        }
        final byte[] damaged = Files.readAllBytes(archive);
        damaged[damaged.length / 2] ^= 4; // inside the second payload chunk
        Files.write(archive, damaged);
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target2"))) {
            final io.runlog.ArchiveFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.runlog.ArchiveFormatException.class, () -> target.importArchive(archive));
            assertTrue(e.block().contains("ITEM_PAYLOAD"), e.getMessage());
            assertTrue(target.projects().isEmpty());
        }
    }

    @Test
    void shouldCarryTheThrottleWarningFlagAndMergeItIdempotently() {
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 10, 0);
            ArchiveFixtures.throttle(source, "llm", "run", DataType.METRICS, 1_800_000_000_000L, 1000);
            source.exportExperiment("llm", "run", archive);
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            target.importArchive(archive);
            target.importArchive(archive);
            try (Experiment e = target.project("llm").openExperiment("run")) {
                final ThrottleWarning.Throttled m = e.throttleWarning().of(DataType.METRICS).orElseThrow();
                assertEquals(1_700_000_000_000L, m.firstMillis());
                assertEquals(1_800_000_000_000L, m.lastMillis());
                assertEquals(2, m.submissions());
                assertEquals(1_500, m.units());
                assertTrue(e.throttleWarning().of(DataType.OUTPUT).isPresent());
                assertFalse(e.throttleWarning().of(DataType.PARAMETERS).isPresent());
            }
        }
    }

    @Test
    void shouldAddNothingWhenAnExperimentImportsItsOwnExport() {
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore store = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(store, 1_000, 0);
            store.exportExperiment("llm", "run", archive);
            final ImportResult r = store.importArchive(archive);
            assertEquals(0, r.added());
            try (Experiment e = store.project("llm").openExperiment("run")) {
                assertEquals(2_000 + 1_000 / 7 + 1, e.pointCount());
            }
        }
    }
}
