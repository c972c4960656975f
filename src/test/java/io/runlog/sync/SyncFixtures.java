package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the sync tests share: comparing a server's copy of an experiment with the harness's, bit for bit. */
final class SyncFixtures {
    private SyncFixtures() {
    }

    /** Asserts the server's experiment holds exactly the harness's data: every stream, in order, bit for bit. */
    static void assertSameData(final Experiment expected, final Experiment actual) {
        assertEquals(expected.projectKind(), actual.projectKind());
        assertEquals(expected.isOffline(), actual.isOffline());
        assertEquals(expected.metrics(), actual.metrics(), "metric names and point counts");
        for (final MetricInfo m : expected.metrics()) {
            final MetricSeries a = expected.readMetric(m.name());
            final MetricSeries b = actual.readMetric(m.name());
            assertArrayEquals(Arrays.copyOf(a.steps(), a.size()), Arrays.copyOf(b.steps(), b.size()), m.name() + " steps");
            assertArrayEquals(Arrays.copyOf(a.timestamps(), a.size()), Arrays.copyOf(b.timestamps(), b.size()),
                m.name() + " timestamps");
            assertArrayEquals(Arrays.copyOf(a.valueBitsArray(), a.size()), Arrays.copyOf(b.valueBitsArray(), b.size()),
                m.name() + " values");
        }
        assertEquals(expected.parameters(), actual.parameters());
        for (final String p : expected.parameters().keySet()) {
            assertEquals(expected.parameterHistory(p), actual.parameterHistory(p), p);
        }
        assertEquals(expected.outputLines(), actual.outputLines());
        assertEquals(expected.items(), actual.items());
        for (int i = 0; i < expected.items().size(); i++) {
            assertArrayEquals(expected.readPayload(expected.items().get(i)), actual.readPayload(actual.items().get(i)));
        }
        assertEquals(expected.prompts(), actual.prompts());
    }

    /** Opens both and compares. */
    static void assertSameData(final RunlogStore harness, final RunlogStore server, final String project, final String key) {
        try (Experiment a = harness.project(project).openExperiment(key);
             Experiment b = server.project(project).openExperiment(key)) {
            assertSameData(a, b);
        }
    }
}
