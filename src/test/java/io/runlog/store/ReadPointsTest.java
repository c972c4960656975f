package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.testing.TestSeed;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.NotFoundException;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@link ExperimentEngine#readPoints}: any range of a metric equals that slice of the full series. */
class ReadPointsTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadAnyRangeExactlyAsTheSliceOfTheFullSeries() {
        final long seed = TestSeed.of("ReadPointsTest");
        final SplittableRandom r = new SplittableRandom(seed);
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0).ringCapacity(1024));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int i = 0; i < 30_000; i++) {
                e.log(i % 3 == 0 ? "a" : "b", r.nextInt(100), i, r.nextDouble());
                if (i % 5_000 == 0) {
                    e.metrics(); // drain: batches of uneven sizes
                }
            }
            final MetricSeries full = e.readMetric("b");
            final ExperimentEngine engine = StoreAccess.engine(store).acquire(StoreAccess.engine(store).experimentHeader("p", "e"));
            try {
                final long[] s = new long[9000];
                final long[] t = new long[9000];
                final long[] v = new long[9000];
                for (int k = 0; k < 200; k++) {
                    final int from = r.nextInt(full.size() + 10);
                    final int max = 1 + r.nextInt(s.length);
                    final int n = engine.readPoints("b", from, s, t, v, max);
                    assertEquals(Math.max(0, Math.min(max, full.size() - from)), n, "from " + from + " max " + max);
                    if (n > 0) {
                        assertArrayEquals(Arrays.copyOfRange(full.steps(), from, from + n), Arrays.copyOf(s, n));
                        assertArrayEquals(Arrays.copyOfRange(full.timestamps(), from, from + n), Arrays.copyOf(t, n));
                        assertArrayEquals(Arrays.copyOfRange(full.valueBitsArray(), from, from + n), Arrays.copyOf(v, n));
                    }
                }
                assertThrows(NotFoundException.class, () -> engine.readPoints("nope", 0, s, t, v, 1));
            } finally {
                StoreAccess.engine(store).release(engine);
            }
        }
    }
}
