package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the follower example of docs/read-only.md against a writer that logs between its reads. */
class ReadOnlyExampleTest {
    @TempDir
    Path dir;

    @Test
    void followerExampleSeesEveryDrainedPointOnceInOrder() {
        try (RunlogStore rw = RunlogStore.open(dir);
             Experiment writer = rw.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("resnet-01")) {
            final MetricHandle loss = writer.metric("loss");
            final long[] step = {0};
            final int[] rounds = {0};
            final List<MetricSeries> chunks = new ArrayList<>();
            final long seen = ReadOnlyExample.follow(dir, () -> {
                for (int i = 0; i < 250; i++, step[0]++) {
                    loss.log(step[0], 1.0 / (step[0] + 1));
                }
                writer.sync(); // drained: what a reader sees
                return ++rounds[0] <= 20;
            }, chunks::add);
            assertEquals(20 * 250, seen, "the last round's points are logged after the follower's last read");
            long next = 0;
            for (final MetricSeries c : chunks) {
                for (int i = 0; i < c.size(); i++) {
                    assertEquals(next++, c.step(i), "each point once, in order");
                }
            }
        }
    }
}
