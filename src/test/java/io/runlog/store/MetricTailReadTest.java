package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code readMetric(name, first)} returns exactly the points from {@code first} on, across batch boundaries. */
class MetricTailReadTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadTheTailFromAnyPointAcrossBatches() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0).ringCapacity(256)
            .backgroundDrain(false))) {
            try (Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                for (int i = 0; i < 5_000; i++) {
                    e.log("m", i, 10_000 + i, i * 0.5);
                    if (i % 3 == 0) {
                        e.log("other", i, i);
                    }
                }
            }
            final ExperimentEngine engine = StoreAccess.engine(store).acquire(StoreAccess.engine(store).experimentHeader("p", "e"));
            try {
                final MetricSeries all = engine.readMetric("m");
                for (final long first : new long[] {0, 1, 127, 128, 129, 2_500, 4_999, 5_000, 7_000}) {
                    final MetricSeries tail = engine.readMetric("m", first);
                    assertEquals(Math.max(0, 5_000 - first), tail.size(), "from " + first);
                    for (int i = 0; i < tail.size(); i++) {
                        assertEquals(all.step((int) first + i), tail.step(i));
                        assertEquals(all.timestamp((int) first + i), tail.timestamp(i));
                        assertEquals(all.valueBits((int) first + i), tail.valueBits(i));
                    }
                }
                assertThrows(IllegalArgumentException.class, () -> engine.readMetric("m", -1));
            } finally {
                StoreAccess.engine(store).release(engine);
            }
        }
    }
}
