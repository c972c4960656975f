package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.gate.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusCommandTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    @Test
    void shouldShowCountsAndTheThrottleWarningFlagAfterReopening() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run-1")) {
            final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 3),
                () -> CliRunner.NOW);
            gate.submit("key", e, new Submission().metric("loss", 0, 1.0).metric("loss", 1, 0.5)
                .parameter("lr", 0.1).output(OutputChannel.STDOUT, "hello"));
            gate.submit("key", e, new Submission().metric("loss", 2, 0.4).metric("acc", 2, 0.9).metric("acc", 3, 0.95));
            e.logItem(ItemType.MODEL, "ckpt", Map.of(), new byte[]{1});
        }
        final CliRunner.Result r = CliRunner.run("status", "--dir", store().toString(), "--project", "vision",
            "--experiment", "run-1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
            experiment:       vision/run-1
            kind:             EXPERIMENT_MANAGEMENT
            offline:          no
            created:          2023-11-14T22:13:20Z
            metrics:          1 (2 points)
            parameters:       1
            output lines:     1
            items:            model 1
            prompts:          0
            ring loss:        none
            throttle warning: metrics: 3 values throttled in 1 submission, 1 episode, first 2023-11-14T22:13:20Z, last 2023-11-14T22:13:20Z
            """, r.out());
    }

    @Test
    void shouldSayNoneForAnExperimentNeverThrottled() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options())) {
            s.createProject("default", ProjectKind.LLM).createOfflineExperiment("x").close();
        }
        final CliRunner.Result r = CliRunner.run("status", "--dir", store().toString(), "--experiment", "x");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("offline:          yes (no rate limits)\n"), r.out());
        assertTrue(r.out().endsWith("throttle warning: none\n"), r.out());
    }

    @Test
    void shouldReportAnUnknownExperimentAndAMissingOption() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options())) {
            s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT);
        }
        final CliRunner.Result unknown = CliRunner.run("status", "--dir", store().toString(), "--experiment", "nope");
        assertEquals(1, unknown.exit());
        assertEquals("runlog: error: project 'default' has no experiment 'nope'\n", unknown.err());
        final CliRunner.Result missing = CliRunner.run("status", "--dir", store().toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Missing required option: '--experiment=E'"), missing::toString);
    }
}
