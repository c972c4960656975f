package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.ItemType;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.Submission;
import io.runlog.gate.SubmissionResult;
import io.runlog.gate.ThrottleNotice;
import io.runlog.gate.ThrottleWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Runs every example the README and docs/ quote ({@link DocExamplesTest} checks the quotes), and checks what it did. */
class ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void harnessExampleLogsAnExperimentThatReadsBackAndRunsAgain() {
        HarnessExample.harness(dir, 1_000);
        HarnessExample.harness(dir, 500); // the second run of the README's harness reopens its experiment
        try (RunlogStore store = RunlogStore.open(dir);
             Experiment e = store.project("vision").openExperiment("resnet50-seed1")) {
            assertTrue(e.isOffline());
            assertEquals(1_500, e.readMetric("loss").size());
            assertEquals(3e-4, e.parameters().get("lr").doubleValue());
            assertEquals("done", e.outputLines().get(0).text());
        }
    }

    @Test
    void serverExampleWritesAndReadsAnLlmExperiment() {
        ServerExample.server(dir, "exp-1", 7, 0.25, "2+2?", "4", new byte[]{1, 2});
        try (RunlogStore store = RunlogStore.open(dir);
             Experiment e = store.project("team-a").openExperiment("exp-1")) {
            assertEquals(1, e.metrics().size());
            assertEquals(7, e.readMetric("loss").step(0));
            assertEquals(0.25, e.readMetric("loss").value(0));
            assertEquals("4", e.prompts().get(0).response());
            assertArrayEquals(new byte[]{1, 2}, e.readPayload(e.items().get(0)));
        }
    }

    @Test
    void gateExamplesAdmitAndThrottleAsTheyDescribe() {
        GateExample.responses.clear();
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final ThrottleWarning flag = GateExample.readme("key", e, 1, 0.5, "hello");
            assertFalse(flag.raised());
            assertTrue(GateExample.responses.isEmpty(), "admitted: no 429, no notice");
            assertEquals("RateLimit-Policy: 12000;w=60", GateExample.headers.get(0));
            assertTrue(GateExample.headers.get(1).matches("RateLimit: limit=12000, remaining=11999, reset=6[12]"),
                "one metric counts 60 to 61.5 s (the system clock): " + GateExample.headers.get(1));
            assertEquals(1, e.readMetric("loss").size());

            final Admission a = GateExample.units("key");
            assertTrue(a.fullyAdmitted());
            assertEquals(0L, GateExample.responses.get(0));

            final List<ThrottleNotice> notices = new ArrayList<>();
            final Submission big = new Submission();
            for (int i = 0; i < 12_001; i++) {
                big.metric("m", i, i);
            }
            final SubmissionResult r = GateExample.submission("key", e, big, notices::add);
            assertTrue(r.tooLarge(DataType.METRICS), "12,001 values exceed the default 12,000 per minute: too large");
            assertFalse(r.throttled(DataType.METRICS));
            assertEquals(0, r.retryAfterMillis(), "no wait helps: nothing to retry as it is");
            assertEquals(SubmissionResult.Reason.TOO_LARGE, r.rejections().get(0).reason());
            assertEquals(0, notices.size(), "too large: no throttling episode");
        }
        try (RunlogStore store = RunlogStore.open(dir.resolve("limited"), GateExample.hardLimits().diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int i = 0; i < 20; i++) {
                e.logItem(ItemType.MODEL, "m" + i, Map.of(), new byte[]{(byte) i});
            }
            assertThrows(HardLimitException.class, () -> e.logItem(ItemType.MODEL, "m20", Map.of(), new byte[]{1}));
        }
    }
}
