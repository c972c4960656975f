package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void shouldLogMeasureAndVerifyASimulatedTrainingRun() {
        final Path store = tmp.resolve("store");

        final CliRunner.Result r = CliRunner.run("demo", "--dir", store.toString(), "--steps", "50000",
            "--experiment", "demo-run");

        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        final String out = r.out();
        for (final String expected : List.of("50,000 steps x 4 metrics", "logged     200,000 points in", "M points/s",
            "all 50,000 accuracy calls: p50 ", "p99 ", "p99.9 ", "max ", "System.nanoTime", "bytes/point",
            "read back  200,000 points", "bit-exact (incl. the NaN loss 0x7ff80000deadbeef at step 25,000)")) {
            assertTrue(out.contains(expected), () -> "missing '" + expected + "' in\n" + out);
        }
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project("demo").openExperiment("demo-run")) {
            assertEquals(List.of(new MetricInfo("loss", 50_000), new MetricInfo("lr", 50_000),
                new MetricInfo("accuracy", 50_000), new MetricInfo("grad_norm", 50_000)), e.metrics());
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(DemoSignals.NAN_LOSS_BITS, loss.valueBits(25_000));
            final MetricSeries lr = e.readMetric("lr");
            assertTrue(lr.value(49_999) < lr.value(10_000), "cosine schedule decays");
        }
    }

    @Test
    void shouldCreateANewExperimentWithAGeneratedKeyEachRun() {
        final Path store = tmp.resolve("store");
        assertEquals(0, CliRunner.run("demo", "--dir", store.toString(), "--steps", "100").exit());
        assertEquals(0, CliRunner.run("demo", "--dir", store.toString(), "--steps", "100").exit());
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options())) {
            assertEquals(2, s.project("demo").experimentKeys().size());
        }
    }

    @Test
    void shouldRejectAStepCountOutOfRangeAsAUsageError() {
        final CliRunner.Result r = CliRunner.run("demo", "--dir", tmp.resolve("store").toString(), "--steps", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: --steps must be from 1 to 10000000, got 0\n"), r::toString);
        assertTrue(r.err().contains("Usage: runlog demo"), r::toString);
        assertFalse(Files.exists(tmp.resolve("store")));
    }

    @Test
    void shouldRejectAStepCountThatIsNotANumber() {
        final CliRunner.Result r = CliRunner.run("demo", "--dir", tmp.resolve("store").toString(), "--steps", "lots");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Invalid value for option '--steps': 'lots' is not a long"), r::toString);
    }

    @Test
    void shouldReportAnExperimentKeyThatIsTaken() {
        final Path store = tmp.resolve("store");
        assertEquals(0, CliRunner.run("demo", "--dir", store.toString(), "--steps", "10", "--experiment", "x").exit());
        final CliRunner.Result r = CliRunner.run("demo", "--dir", store.toString(), "--steps", "10", "--experiment", "x");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("runlog: error: "), r::toString);
    }

    @Test
    void shouldPrintHelp() {
        final CliRunner.Result r = CliRunner.run("demo", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--steps=N"), r.out());
    }
}
