package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job end to end: harness, SIGKILL, export, two imports, the gate, LTTB and a chart, the summary. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void shouldTellTheWholeStoryAndLeaveEveryArtefactBehind() throws Exception {
        final Path dir = tmp.resolve("runlog-data");
        final long t = System.nanoTime();
        final CliRunner.Result r = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "300000",
            "--experiment", "demo-run");
        System.out.printf("demo with 300,000 steps: %.1f s%n", (System.nanoTime() - t) / 1e9);
        assertEquals(0, r.exit(), r::toString);
        final String out = r.out();
        for (final String expected : List.of("0. runlog serve: a child JVM (pid ", "1. training harness",
            "killed with SIGKILL; its client had", "server restarted on the same port (pid ",
            "the harness's sync was acknowledged by the restarted server", "2. SIGKILL after step", "every one of the",
            "acknowledged points is present and bit-exact", "3. sync again from the reopened store",
            "exactly once: the server's copy of demo/demo-run is the harness's store, bit for bit", "4. export: ",
            "bytes/point", "uploaded to the server as demo/demo-run-archive", "second: 0 added",
            "uploading twice changes nothing", "5. a throttled API key", "429 for METRICS of live/demo-run-",
            "Retry-After", "all 6,000 points arrived", "\"throttled\":true", "6. the server's loss sampled from",
            "chart: ", "7. summary, all measured in this run", "kill -9: acknowledged points lost", "the whole demo")) {
            assertTrue(out.contains(expected), () -> "missing '" + expected + "' in\n" + out);
        }
        final Matcher pids = Pattern.compile("the server \\(pid (\\d+)\\) killed with SIGKILL")
            .matcher(out);
        assertTrue(pids.find(), out);
        final Matcher restarted = Pattern.compile("restarted on the same port \\(pid (\\d+)\\)").matcher(out);
        assertTrue(restarted.find(), out);
        assertNotEquals(pids.group(1), restarted.group(1), "a new server process");
        assertEquals(2, Files.readAllLines(dir.resolve("serve.log")).stream()
            .filter(l -> l.startsWith("runlog serve: listening on ")).count(), "two server processes listened");

        final Path harness = dir.resolve("harness-store");
        try (RunlogStore h = RunlogStore.open(harness, CliRunner.options());
             RunlogStore s = RunlogStore.open(dir, CliRunner.options());
             Experiment local = h.project("demo").openExperiment("demo-run");
             Experiment copy = s.project("demo").openExperiment("demo-run")) {
            assertTrue(local.isOffline());
            final long harnessPoints = local.pointCount();
            assertTrue(harnessPoints >= 4 * 180_000L, "killed after 60% of the steps: " + harnessPoints);
            assertTrue(harnessPoints < 4 * 300_000L, "killed before the end: " + harnessPoints);
            assertEquals(4, copy.metrics().size());
            for (final MetricInfo m : local.metrics()) {
                final MetricSeries a = local.readMetric(m.name());
                final MetricSeries b = copy.readMetric(m.name());
                assertEquals(a.size(), b.size(), m.name() + ": exactly once, nothing lost or doubled");
                assertArrayEquals(a.steps(), b.steps(), m.name());
                assertArrayEquals(a.timestamps(), b.timestamps(), m.name());
                assertArrayEquals(a.valueBitsArray(), b.valueBitsArray(), m.name());
            }
            assertEquals(local.parameters(), copy.parameters());
            try (Experiment uploaded = s.project("demo").openExperiment("demo-run-archive")) {
                assertEquals(harnessPoints, uploaded.pointCount(), "the archive uploaded twice, held once");
            }
            try (Experiment bob = s.project("live").openExperiment("demo-run-bob");
                 Experiment alice = s.project("live").openExperiment("demo-run-alice")) {
                assertEquals(6_000, bob.pointCount() + alice.pointCount(), "every throttled point arrived, once");
                assertTrue(bob.throttleWarning().of(DataType.METRICS).isPresent()
                    || alice.throttleWarning().of(DataType.METRICS).isPresent(), "the server's warning flag");
            }
        }
        assertTrue(Files.size(dir.resolve("exports/demo-run.rla")) > 0);
        final BufferedImage chart = ImageIO.read(dir.resolve("charts/demo-run-loss.png").toFile());
        assertEquals(1200, chart.getWidth());
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".demo-keys-")),
                "the run's keys are deleted at the end");
        }
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
    void shouldTellTheSameThrottleStoryOnASecondRunInTheSameDirectory() {
        final Path dir = tmp.resolve("runlog-data");
        final CliRunner.Result first = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "a");
        final CliRunner.Result second = CliRunner.run("demo", "--dir", dir.toString(), "--steps", "20000", "--experiment", "b");
        assertEquals(0, first.exit(), first::toString);
        assertEquals(0, second.exit(), second::toString);
        assertTrue(first.out().contains("all 6,000 points arrived"), first::toString);
        assertTrue(second.out().contains("all 6,000 points arrived"), second::toString);
        assertTrue(second.out().contains("429 for METRICS of live/b-"), "the second run is throttled on its own: "
            + second);
        assertTrue(second.out().contains("exactly once: the server's copy of demo/b is the harness's store"),
            second::toString);
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
