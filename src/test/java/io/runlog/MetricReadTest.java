package io.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Reading one metric among many returns exactly its points, in arrival order, from the index. */
class MetricReadTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadOneMetricAmongAHundredInterleavedAndOneSparse() {
        final int metrics = 100;
        final int rounds = 3_000;
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            try (Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                final MetricHandle[] handles = new MetricHandle[metrics];
                for (int m = 0; m < metrics; m++) {
                    handles[m] = e.metric("m" + m);
                }
                final MetricHandle sparse = e.metric("sparse");
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m < metrics; m++) {
                        handles[m].log(r, m, r * 1000.0 + m);
                    }
                    if (r % 997 == 0) {
                        sparse.log(r, -1, -r);
                    }
                }
            }
            try (Experiment e = store.project("p").openExperiment("e")) {
                assertEquals(metrics + 1, e.metrics().size());
                assertEquals((long) metrics * rounds + 4, e.pointCount());
                for (final int m : new int[]{0, 42, 99}) {
                    final MetricSeries s = e.readMetric("m" + m);
                    assertEquals(rounds, s.size());
                    for (int r = 0; r < rounds; r++) {
                        assertEquals(r, s.step(r));
                        assertEquals(m, s.timestamp(r));
                        assertEquals(r * 1000.0 + m, s.value(r));
                    }
                }
                final MetricSeries sparse = e.readMetric("sparse");
                assertEquals(List.of(0L, 997L, 1994L, 2991L), List.of(sparse.step(0), sparse.step(1), sparse.step(2), sparse.step(3)));
            }
        }
    }

    @Test
    void shouldSeeEveryPointLoggedBeforeTheReadWhileAnotherThreadKeepsLogging() throws Exception {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle mine = e.metric("mine");
            final MetricHandle noise = e.metric("noise");
            final Thread other = new Thread(() -> {
                for (int i = 0; i < 300_000; i++) {
                    noise.log(i, i);
                }
            });
            other.start();
            for (int i = 0; i < 2_000; i++) {
                mine.log(i, i);
                if (i % 100 == 99) {
                    assertEquals(i + 1, e.readMetric("mine").size(), "read after " + (i + 1) + " acknowledged points");
                }
            }
            other.join();
            assertEquals(300_000, e.readMetric("noise").size());
        }
    }

    @Test
    void shouldSplitBatchesSoThatTheyFitTheSmallestJournalBlock() {
        final StoreOptions options = new StoreOptions().diskReserveBytes(0).journalBlockSize(256 << 10)
            .ringCapacity(8192).backgroundDrain(false);
        final int metrics = 5_000; // worst case: one run, so one directory entry, per point
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            try (Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                final MetricHandle[] handles = new MetricHandle[metrics];
                for (int m = 0; m < metrics; m++) {
                    handles[m] = e.metric("m" + m);
                }
                for (int m = 0; m < metrics; m++) {
                    handles[m].log(m, m, m);
                }
                assertEquals(metrics, e.pointCount());
            }
            try (Experiment e = store.project("p").openExperiment("e")) {
                for (final int m : new int[]{0, 2_500, 4_999}) {
                    final MetricSeries s = e.readMetric("m" + m);
                    assertEquals(1, s.size());
                    assertEquals((double) m, s.value(0));
                }
            }
        }
    }

    @Test
    void shouldShareOneExperimentBetweenTwoOpenHandles() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment a = p.createExperiment("e"); Experiment b = p.openExperiment("e")) {
                a.log("x", 1, 1.0);
                b.log("x", 2, 2.0);
                a.close();
                b.log("x", 3, 3.0);
                assertEquals(3, b.readMetric("x").size());
                assertThrows(ClosedException.class, () -> a.log("x", 4, 4.0));
            }
        }
    }
}
