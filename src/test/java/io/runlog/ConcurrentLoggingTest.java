package io.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Several threads log into one experiment through a small ring that wraps thousands of times:
 * every point arrives exactly once, and each thread's points keep their order.
 */
class ConcurrentLoggingTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryPointOfEveryThreadInOrderThroughAWrappingRing() throws Exception {
        final int threads = 4;
        final int perThread = 200_000;
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().ringCapacity(256).diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final CyclicBarrier start = new CyclicBarrier(threads);
            final List<Thread> workers = new ArrayList<>();
            final List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                final Thread w = new Thread(() -> {
                    try {
                        final MetricHandle shared = e.metric("shared");
                        final MetricHandle own = e.metric("own-" + id);
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            shared.log(i, id, i);
                            if ((i & 7) == 0) {
                                own.log(i, id, -i);
                            }
                        }
                    } catch (final Throwable ex) {
                        synchronized (failures) {
                            failures.add(ex);
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            for (final Thread w : workers) {
                w.join();
            }
            assertEquals(List.of(), failures);
            final MetricSeries shared = e.readMetric("shared");
            assertEquals((long) threads * perThread, shared.size());
            final long[] next = new long[threads];
            for (int i = 0; i < shared.size(); i++) {
                final int t = (int) shared.timestamp(i);
                assertEquals(next[t], shared.step(i), "thread " + t + " out of order at " + i);
                assertEquals((double) next[t], shared.value(i));
                next[t]++;
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(perThread, next[t]);
                assertEquals(perThread / 8, e.readMetric("own-" + t).size());
            }
        }
    }
}
