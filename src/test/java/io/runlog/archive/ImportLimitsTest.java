package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.ImportResult;
import io.runlog.InvalidValueException;
import io.runlog.ItemType;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Import into an existing store: hard limits (checked before anything is written), kinds, offline flag. */
class ImportLimitsTest {
    @TempDir
    Path dir;

    private Path exportFixture(final int points) {
        final Path archive = dir.resolve("run-" + points + ".rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source-" + points))) {
            ArchiveFixtures.fill(source, points, 0);
            source.exportExperiment("llm", "run", archive);
        }
        return archive;
    }

    @Test
    void shouldRejectAnImportOverTheUniqueMetricsLimitBeforeWritingAnything() {
        final Path archive = exportFixture(100);
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options()
            .hardLimits(new HardLimits().uniqueMetrics(3)))) {
            final HardLimitException e = assertThrows(HardLimitException.class, () -> target.importArchive(archive));
            assertEquals("uniqueMetrics", e.limitName());
            assertTrue(target.projects().isEmpty(), "nothing created");
        }
    }

    @Test
    void shouldRejectAnImportOverAnItemLimitBeforeWritingAnything() {
        final Path archive = exportFixture(100);
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options()
            .hardLimits(new HardLimits().items(ItemType.MODEL, 0)))) {
            final HardLimitException e = assertThrows(HardLimitException.class, () -> target.importArchive(archive));
            assertEquals(HardLimits.name(ItemType.MODEL), e.limitName());
            assertTrue(target.projects().isEmpty(), "nothing created");
        }
    }

    @Test
    void shouldRejectAnImportThatWouldPassTheParameterLimitOfAnEarlierImportedCopyAndChangeNothing() {
        final Path archive = exportFixture(100);
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options())) {
            target.importArchive(archive); // the copy: 4 parameters
            try (Experiment x = target.project("llm").openExperiment("run")) {
                x.logParameter("a", 1L); // then logged to: 5
            }
        }
        final Path later = dir.resolve("later.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source-100"))) {
            try (Experiment e = source.project("llm").openExperiment("run")) {
                e.logParameter("new-1", 1L);
                e.logParameter("new-2", 2L);
            }
            source.exportExperiment("llm", "run", later);
        }
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options()
            .hardLimits(new HardLimits().uniqueParameters(6)))) {
            final long points;
            try (Experiment x = target.project("llm").openExperiment("run")) {
                points = x.pointCount();
            }
            final HardLimitException e = assertThrows(HardLimitException.class, () -> target.importArchive(later));
            assertEquals("uniqueParameters", e.limitName());
            try (Experiment x = target.project("llm").openExperiment("run")) {
                assertEquals(points, x.pointCount(), "nothing of the later archive was written");
                assertEquals(5, x.parameters().size());
            }
        }
    }

    @Test
    void shouldRejectAnImportIntoAProjectOfAnotherKind() {
        final Path archive = exportFixture(10);
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            target.createProject("llm", ProjectKind.EXPERIMENT_MANAGEMENT);
            final InvalidValueException e = assertThrows(InvalidValueException.class, () -> target.importArchive(archive));
            assertTrue(e.getMessage().contains("is a EXPERIMENT_MANAGEMENT project"), e.getMessage());
            assertTrue(target.project("llm").experimentKeys().isEmpty());
        }
    }

    @Test
    void shouldKeepTheOfflineFlagAndIgnoreRateLimits() {
        final Path archive = dir.resolve("offline.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             Experiment e = source.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("o")) {
            for (int i = 0; i < 50_000; i++) { // far beyond a minute's 12,000-value metric rate limit
                e.log("m", i, i, i);
            }
            e.export(archive);
        }
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            final ImportResult r = target.importArchive(archive);
            assertEquals(50_000, r.pointsAdded());
            try (Experiment e = target.project("p").openExperiment("o")) {
                assertTrue(e.isOffline());
            }
        }
    }

    @Test
    void shouldRejectMissingAndNonArchiveFiles() throws Exception {
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            assertThrows(StoreAccessException.class, () -> target.importArchive(dir.resolve("missing.rla")));
            assertThrows(StoreAccessException.class, () -> target.importArchive(dir));
            final Path text = Files.writeString(dir.resolve("x.rla"), "metric,step,value\nloss,1,2\n");
            assertThrows(io.runlog.ArchiveFormatException.class, () -> target.importArchive(text));
            assertTrue(target.projects().isEmpty());
        }
    }
}
