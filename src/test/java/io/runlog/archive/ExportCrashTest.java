package io.runlog.archive;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.store.FileSystemFacade;
import io.runlog.testing.ChildJvm;
import io.runlog.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Export at any moment: while the experiment is logged to (each archive a consistent prefix),
 * after the logging process was SIGKILLed (the reopen recovers first), and killed itself midway
 * (the archive's name holds a complete archive or nothing).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExportCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldExportAConsistentPrefixWhileTheExperimentIsLoggedTo() throws Exception {
        try (RunlogStore store = ArchiveFixtures.open(dir.resolve("store"));
             Experiment e = store.projectOrCreate("llm", io.runlog.ProjectKind.LLM).openOrCreateExperiment("run")) {
            final AtomicBoolean stop = new AtomicBoolean();
            final MetricHandle m = e.metric("m");
            final Thread logger = new Thread(() -> {
                for (long i = 0; i < 1_500_000 && !stop.get(); i++) {
                    m.log(i, i, i);
                    if (i % 100 == 0) {
                        e.logOutput(OutputChannel.STDOUT, Long.toString(i)); // logged after point i
                    }
                }
            });
            logger.start();
            final List<Path> archives = new ArrayList<>();
            try {
                for (int k = 0; k < 8 && logger.isAlive(); k++) {
                    final Path a = dir.resolve("live-" + k + ".rla");
                    e.export(a);
                    archives.add(a);
                }
            } finally {
                stop.set(true);
                logger.join();
            }
            assertFalse(archives.isEmpty());
            long previous = -1;
            for (final Path a : archives) {
                try (RunlogStore target = ArchiveFixtures.open(dir.resolve("t-" + a.getFileName()))) {
                    target.importArchive(a);
                    try (Experiment t = target.project("llm").openExperiment("run")) {
                        final MetricSeries s = t.readMetric("m");
                        for (int i = 0; i < s.size(); i++) {
                            assertEquals(i, s.step(i), a + ": points form a prefix");
                        }
                        final var lines = t.outputLines();
                        if (!lines.isEmpty()) {
                            final long lastLine = Long.parseLong(lines.get(lines.size() - 1).text());
                            assertTrue(lastLine < s.size(), a + ": output line " + lastLine + " without its point ("
                                + s.size() + " points)");
                        }
                        assertTrue(s.size() >= previous, "later exports hold more");
                        previous = s.size();
                    }
                }
            }
        }
    }

    @Test
    void shouldExportEverythingAcknowledgedAfterTheLoggerWasKilled() {
        final Path store = dir.resolve("store");
        try (ChildJvm.Child child = ChildJvm.of(ExportChild.class, dir.resolve("logger")).args("log", store, "-").start()) {
            child.await("logged 50000", Duration.ofMinutes(2), () -> child.output().contains("logged 50000"));
            child.killNine();
        }
        final Path archive = dir.resolve("after-kill.rla");
        final long points;
        try (RunlogStore s = ArchiveFixtures.open(store);
             Experiment e = s.project("llm").openExperiment("run")) {
            points = e.pointCount();
            assertTrue(points > 50_000);
            e.export(archive);
        }
        try (RunlogStore t = ArchiveFixtures.open(dir.resolve("target"))) {
            assertEquals(points, t.importArchive(archive).pointsAdded());
            try (Experiment e = t.project("llm").openExperiment("run")) {
                final MetricSeries s = e.readMetric("m");
                for (int i = 0; i < s.size(); i++) {
                    assertEquals(i * 0.5, s.value(i));
                }
            }
        }
    }

    @Test
    void shouldLeaveACompleteArchiveOrNoneWhenKilledMidExport() throws IOException {
        final Path store = dir.resolve("store");
        try (RunlogStore s = ArchiveFixtures.open(store)) {
            ArchiveFixtures.fill(s, 300_000, 0);
        }
        final Path archive = dir.resolve("out.rla");
        for (int round = 0; round < 3; round++) {
            Files.deleteIfExists(archive);
            final int exports = round;
            try (ChildJvm.Child child = ChildJvm.of(ExportChild.class, dir.resolve("exporter-" + round))
                .args("export", store, archive).start()) {
                if (exports > 0) { // round 0 kills during start-up or the first export
                    child.await("export " + exports, Duration.ofMinutes(2),
                        () -> child.output().contains("exported " + exports));
                }
                child.killNine();
            }
            if (Files.exists(archive)) {
                try (ArchiveReader r = ArchiveReader.open(archive)) {
                    assertEquals(600_000 + 300_000 / 7 + 1, r.read(new ArchiveVisitor() {
                    }).totals().points(), "round " + round);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("out.rla")
                && !p.getFileName().toString().equals("out.rla")), "only hidden temporaries may stay behind");
        }
        Files.write(dir.resolve(".out.rla.tmp-5eed"), new byte[10]); // one more, in case no kill landed mid-write
        try (RunlogStore s = ArchiveFixtures.open(store)) {
            s.exportExperiment("llm", "run", archive);  // the next export into the directory cleans up
        }
        try (Stream<Path> files = Files.list(dir)) {
            final List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".out.rla"))
                .toList();
            assertEquals(List.of(), left, "the killed exports' temporary files are removed by the next export");
        }
    }

    @Test
    void shouldExportAndImportAMetricFarLargerThanTheHeapAllows() {
        final Path store = dir.resolve("store");
        final int points = 4_000_000; // 96 MB as three long[] columns
        try (RunlogStore s = ArchiveFixtures.open(store);
             Experiment e = s.projectOrCreate("llm", io.runlog.ProjectKind.LLM).openOrCreateExperiment("run")) {
            final MetricHandle m = e.metric("m");
            for (int i = 0; i < points; i++) {
                m.log(i, i, i * 0.25);
            }
        }
        final Path archive = dir.resolve("big.rla");
        try (ChildJvm.Child child = ChildJvm.of(ExportChild.class, dir.resolve("small-heap")).jvmArg("-Xmx48m")
            .args("export-once", store, archive).start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(2)), child.output());
        }
        try (ChildJvm.Child child = ChildJvm.of(ExportChild.class, dir.resolve("small-heap-import")).jvmArg("-Xmx48m")
            .args("import-once", dir.resolve("target"), archive).start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(2)), child.output());
            assertTrue(child.output().contains("imported " + points), child.output());
        }
    }

    @Test
    void shouldLeaveNoFileWhenTheFinalRenameFails() throws IOException {
        final Path archive = dir.resolve("out.rla");
        final FileSystemFacade failingRename = new FaultyFileSystem().onMove((source, target) -> {
            if (target.equals(archive)) {
                throw new AccessDeniedException(target.toString(), null, "injected");
            }
        });
        try (RunlogStore s = RunlogStore.open(dir.resolve("store"),
            StoreAccess.fileSystem(new StoreOptions().diskReserveBytes(0), failingRename))) {
            ArchiveFixtures.fill(s, 100, 0);
            assertThrows(StoreAccessException.class, () -> s.exportExperiment("llm", "run", archive));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("store"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertThrows(StoreAccessException.class, () -> ArchiveReader.open(archive));
    }
}
