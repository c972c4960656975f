package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job end to end: harness, SIGKILL, export, two imports, the gate, LTTB and a chart, the summary. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void shouldTellTheWholeStoryAndLeaveEveryArtefactBehind() throws Exception {
        final Path dir = tmp.resolve("runlog-data");
        final CliRunner.Result r = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "300000",
            "--experiment", "demo-run");
        assertEquals(0, r.exit(), r::toString);
        final String out = r.out();
        for (final String expected : List.of("1. training harness", "2. SIGKILL after step", "every one of the",
            "acknowledged points is present and bit-exact", "3. export: ", "bytes/point", "4. import into",
            "second: 0 added", "importing twice changes nothing", "5. live traffic through the ingestion gate",
            "notice: METRICS of live/demo-run-alice throttled", "Retry-After", "warning flag of live/demo-run-alice",
            "key-bob: 9,018 of 9,018 entries stored, 0 throttled", "6. loss sampled from", "chart: ",
            "7. summary, all measured in this run", "kill -9: acknowledged points lost", "the whole demo")) {
            assertTrue(out.contains(expected), () -> "missing '" + expected + "' in\n" + out);
        }
        final Path harness = dir.resolve("harness-store");
        long harnessPoints;
        try (RunlogStore s = RunlogStore.open(harness, CliRunner.options());
             Experiment e = s.project("demo").openExperiment("demo-run")) {
            assertTrue(e.isOffline());
            harnessPoints = e.pointCount();
            assertTrue(harnessPoints >= 4 * 180_000L, "killed after 60% of the steps: " + harnessPoints);
            assertTrue(harnessPoints < 4 * 300_000L, "killed before the end: " + harnessPoints);
        }
        try (RunlogStore s = RunlogStore.open(dir, CliRunner.options())) {
            try (Experiment e = s.project("demo").openExperiment("demo-run")) {
                assertEquals(harnessPoints, e.pointCount(), "the server holds exactly what the harness acknowledged and kept");
                final List<MetricInfo> metrics = e.metrics();
                assertEquals(4, metrics.size());
            }
            try (Experiment alice = s.project("live").openExperiment("demo-run-alice")) {
                assertTrue(alice.throttleWarning().of(DataType.METRICS).isPresent());
            }
        }
        assertTrue(Files.size(dir.resolve("exports/demo-run.rla")) > 0);
        final BufferedImage chart = ImageIO.read(dir.resolve("charts/demo-run-loss.png").toFile());
        assertEquals(1200, chart.getWidth());
    }

    @Test
    void shouldRefuseAnExperimentKeyThatIsTakenBeforeStartingAnything() {
        final Path dir = tmp.resolve("runlog-data");
        assertEquals(0, CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "x").exit());
        final CliRunner.Result r = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "x");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("runlog: error: experiment demo/x already exists in "), r::toString);
    }

    @Test
    void shouldRejectABadExperimentKeyBeforeStartingTheHarness() {
        final Path dir = tmp.resolve("runlog-data");
        final CliRunner.Result r = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment",
            "bad key");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("runlog: error: experiment key 'bad key' has ' ' at index 3: use letters, digits, '.', '_' and '-',"
            + " starting with a letter or digit\n", r.err(), r::toString);
        assertFalse(Files.exists(dir), "nothing started, nothing created");
    }

    @Test
    void shouldTellTheSameGateStoryOnASecondRunInTheSameDirectory() {
        final Path dir = tmp.resolve("runlog-data");
        final CliRunner.Result first = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "a");
        final CliRunner.Result second = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "b");
        assertEquals(0, first.exit(), first::toString);
        assertEquals(0, second.exit(), second::toString);
        final List<String> a = gateLines(first.out(), "a");
        assertEquals(a, gateLines(second.out(), "b"), "the second run reports its own traffic, not the sum");
        assertTrue(a.stream().anyMatch(l -> l.contains("key-alice: ") && l.contains("throttled")), a::toString);
    }

    /** Step 5's lines, with the run's key replaced and the times dropped. */
    private static List<String> gateLines(final String out, final String key) {
        final String step = out.substring(out.indexOf("5. live traffic"), out.indexOf("6. loss sampled"));
        return step.lines().map(l -> l.replace("live/" + key + "-", "live/KEY-")).toList();
    }

    @Test
    void shouldRejectAStepCountOutOfRangeAsAUsageError() {
        final CliRunner.Result r = CliRunner.run("demo", "--dir", tmp.resolve("store").toString(), "--steps", "5");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: --steps must be from 10000 to 10000000, got 5\n"), r::toString);
        assertTrue(r.err().contains("Run 'runlog demo --help' for usage."), r::toString);
        assertFalse(Files.exists(tmp.resolve("store")));
    }

    @Test
    void shouldRejectAStepCountThatIsNotANumber() {
        final CliRunner.Result r = CliRunner.run("demo", "--dir", tmp.resolve("store").toString(), "--steps", "lots");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Invalid value for option '--steps': 'lots' is not a long"), r::toString);
    }

    @Test
    void shouldPrintHelp() {
        final CliRunner.Result r = CliRunner.run("demo", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--steps=N"), r.out());
        assertTrue(r.out().contains("SIGKILL"), r.out());
    }
}
