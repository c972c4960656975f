package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the sampling examples ({@link DocExamplesTest} checks the docs quote them) and checks what they read. */
class SamplingExamplesTest {
    @TempDir
    Path dir;

    @Test
    void samplingExamplesReadWhatTheyDescribe() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment run = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle loss = run.metric("loss");
            for (int step = 0; step < 40_000; step++) {
                loss.log(step, 1_700_000_000_000L + step, 1.0 / (1 + step));
            }
            final List<MetricSeries> readme = SamplingExample.readme(run);
            assertEquals(15_000, readme.get(0).size());
            assertEquals(2_000, readme.get(1).size());
            assertEquals(10_000, readme.get(1).step(0));
            assertEquals(20_000, readme.get(1).step(1_999));

            final List<MetricSeries> api = SamplingExample.api(run);
            assertEquals(15_000, api.get(0).size());
            assertEquals(2_000, api.get(1).size());
            assertEquals(15_000, api.get(2).size());
            assertEquals(1_700_000_000_000L, api.get(2).timestamp(0));
            assertEquals(40_000, api.get(3).size());
        }
    }
}
