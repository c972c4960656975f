package io.runlog;

import io.runlog.testing.TestSeed;
import io.runlog.sample.SampleCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Experiment#sampledMetric} on a real store: defaults, options, appends, bad input. Seeds printed. */
class SampledMetricTest {
    @TempDir
    Path dir;

    private static StoreOptions options() {
        return new StoreOptions().diskReserveBytes(0);
    }

    private static Experiment create(final RunlogStore store) {
        return store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
    }

    private static long[] head(final long[] a, final int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    private static void assertSameSeries(final MetricSeries expected, final MetricSeries actual, final String what) {
        assertEquals(expected.size(), actual.size(), what);
        assertArrayEquals(head(expected.steps(), expected.size()), head(actual.steps(), actual.size()), what);
        assertArrayEquals(head(expected.timestamps(), expected.size()), head(actual.timestamps(), actual.size()), what);
        assertArrayEquals(head(expected.valueBitsArray(), expected.size()), head(actual.valueBitsArray(), actual.size()),
            what);
    }

    private static MetricSeries fresh(final Experiment e, final String metric, final SampleQuery q) {
        final MetricSeries all = e.readMetric(metric);
        return SampleCache.fresh(metric, q, first -> {
            assertEquals(0, first);
            return all;
        });
    }

    @Test
    void shouldReturnAShortMetricWholeInStepOrder() {
        try (RunlogStore store = RunlogStore.open(dir, options()); Experiment e = create(store)) {
            final MetricHandle loss = e.metric("loss");
            loss.log(2, 20, 0.5);
            loss.log(0, 21, Double.NaN);
            loss.log(1, 22, 0.7);
            final MetricSeries s = e.sampledMetric("loss");
            assertArrayEquals(new long[] {0, 1, 2}, s.steps());
            assertArrayEquals(new long[] {21, 22, 20}, s.timestamps());
            assertEquals(Double.doubleToRawLongBits(Double.NaN), s.valueBits(0));
            assertEquals(2, e.readMetric("loss").step(0), "the raw series keeps arrival order");
        }
    }

    @Test
    void shouldServeAtMostFifteenThousandPointsByDefaultAndKeepTheRawSeries() {
        try (RunlogStore store = RunlogStore.open(dir, options()); Experiment e = create(store)) {
            final MetricHandle loss = e.metric("loss");
            for (int i = 0; i < 40_000; i++) {
                loss.log(i, 1_000 + i, Math.exp(-i / 5_000.0) + (i == 33_333 ? 5 : 0));
            }
            final MetricSeries s = e.sampledMetric("loss");
            assertEquals(StoreOptions.DEFAULT_SAMPLE_MAX_POINTS, s.size());
            assertEquals(0, s.step(0));
            assertEquals(39_999, s.step(s.size() - 1));
            boolean spike = false;
            for (int k = 0; k < s.size(); k++) {
                spike |= s.step(k) == 33_333;
            }
            assertTrue(spike, "LTTB keeps the spike");
            assertEquals(40_000, e.readMetric("loss").size());
        }
    }

    @Test
    void shouldTakeTheDefaultMaximumFromTheStoreOptionsAndTheQueryFirst() {
        try (RunlogStore store = RunlogStore.open(dir, options().sampleMaxPoints(50)); Experiment e = create(store)) {
            for (int i = 0; i < 1_000; i++) {
                e.log("m", i, Math.sin(i));
            }
            assertEquals(50, e.sampledMetric("m").size());
            assertEquals(70, e.sampledMetric("m", SampleQuery.ofMax(70)).size());
            assertEquals(50, e.sampledMetric("m", SampleQuery.defaults().withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB))
                .size());
            final MetricSeries zoom = e.sampledMetric("m", SampleQuery.defaults().withRange(100, 199));
            assertEquals(50, zoom.size());
            assertEquals(100, zoom.step(0));
            assertEquals(199, zoom.step(49));
        }
    }

    @Test
    void shouldAnswerAsAFreshComputationAfterPointsArriveAndAfterReopening() {
        final long seed = TestSeed.of("SampledMetricTest");
        final SplittableRandom r = new SplittableRandom(seed);
        final SampleQuery[] queries = {
            SampleQuery.ofMax(300),
            SampleQuery.ofMax(200).withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB),
            SampleQuery.ofMax(100).withAxis(SampleQuery.Axis.TIMESTAMP).withRange(1_000_000, 1_030_000),
        };
        try (RunlogStore store = RunlogStore.open(dir, options().ringCapacity(1 << 10))) {
            try (Experiment e = create(store)) {
                final MetricHandle m = e.metric("m");
                long step = 0;
                for (int round = 0; round < 30; round++) {
                    final int batch = 1 + r.nextInt(3_000);
                    for (int i = 0; i < batch; i++) {
                        step = r.nextInt(20) == 0 ? r.nextLong(step + 1) : step + 1;
                        final double v = r.nextInt(100) == 0 ? Double.NaN : r.nextGaussian();
                        m.log(step, 1_000_000 + step + r.nextInt(3), v);
                    }
                    for (final SampleQuery q : queries) {
                        assertSameSeries(fresh(e, "m", q), e.sampledMetric("m", q), q + " round " + round + " seed " + seed);
                    }
                }
            }
            try (Experiment e = store.project("p").openExperiment("e")) {
                e.log("m", 5, 1e300);
                for (final SampleQuery q : queries) {
                    assertSameSeries(fresh(e, "m", q), e.sampledMetric("m", q), q + " after reopening, seed " + seed);
                }
            }
        }
    }

    @Test
    void shouldServeConsistentSamplesToConcurrentReadersWhileAWriterLogs() throws Exception {
        try (RunlogStore store = RunlogStore.open(dir, options().ringCapacity(1 << 10)); Experiment e = create(store)) {
            final MetricHandle m = e.metric("m");
            final int points = 60_000;
            final SampleQuery q = SampleQuery.ofMax(500);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicBoolean done = new AtomicBoolean();
            final Thread[] readers = new Thread[2];
            for (int t = 0; t < readers.length; t++) {
                readers[t] = new Thread(() -> {
                    try {
                        while (!done.get()) {
                            final MetricSeries s = e.sampledMetric("m", q);
                            assertTrue(s.size() <= 500);
                            for (int k = 1; k < s.size(); k++) {
                                assertTrue(s.step(k) > s.step(k - 1), "x order");
                            }
                        }
                    } catch (final Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                });
            }
            m.log(0, 0, 0.0);
            for (final Thread t : readers) {
                t.start();
            }
            for (int i = 1; i < points; i++) {
                m.log(i, i, Math.sin(i / 100.0));
            }
            done.set(true);
            for (final Thread t : readers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a reader failed", failure.get());
            }
            assertSameSeries(fresh(e, "m", q), e.sampledMetric("m", q), "after the writer stopped");
        }
    }

    @Test
    void shouldServeTheCachedResultWhileNothingArrives() {
        try (RunlogStore store = RunlogStore.open(dir, options()); Experiment e = create(store)) {
            for (int i = 0; i < 5_000; i++) {
                e.log("m", i, i % 7);
            }
            final SampleQuery q = SampleQuery.ofMax(100);
            final MetricSeries first = e.sampledMetric("m", q);
            assertSameSeries(first, e.sampledMetric("m", q), "served again");
            assertEquals(1, store.sampleCache().selections(), "from the stored result, not selected again");
            assertEquals(1, store.sampleCache().size());
            assertTrue(store.sampleCache().bytes() > 5_000L * 36);
        }
    }

    @Test
    void shouldKeepNothingWhenTheStoreTurnsTheCacheOff() {
        try (RunlogStore store = RunlogStore.open(dir, options().sampleCacheBytes(0)); Experiment e = create(store)) {
            for (int i = 0; i < 5_000; i++) {
                e.log("m", i, i % 7);
            }
            final SampleQuery q = SampleQuery.ofMax(100);
            assertSameSeries(fresh(e, "m", q), e.sampledMetric("m", q), "uncached");
            assertEquals(0, store.sampleCache().size());
        }
    }

    @Test
    void shouldRejectBadQueriesWithTypedErrors() {
        assertEquals("sampling needs a maximum of at least 3 points (first, last and one bucket), got 2",
            assertThrows(InvalidValueException.class, () -> SampleQuery.ofMax(2)).getMessage());
        assertThrows(InvalidValueException.class, () -> SampleQuery.defaults().withMaxPoints(-1));
        assertEquals("sampling range is empty: from 5 is after to 4",
            assertThrows(InvalidValueException.class, () -> SampleQuery.defaults().withRange(5, 4)).getMessage());
        assertThrows(InvalidValueException.class, () -> SampleQuery.defaults().withAlgorithm(null));
        assertThrows(InvalidValueException.class, () -> SampleQuery.defaults().withAxis(null));
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions().sampleMaxPoints(2));
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions().sampleCacheBytes(-1));
        try (RunlogStore store = RunlogStore.open(dir, options()); Experiment e = create(store)) {
            e.log("m", 1, 1.0);
            assertThrows(InvalidValueException.class, () -> e.sampledMetric("m", null));
            assertEquals("experiment p/e has no metric 'x'",
                assertThrows(NotFoundException.class, () -> e.sampledMetric("x")).getMessage());
            assertThrows(InvalidNameException.class, () -> e.sampledMetric(""));
            assertEquals(0, store.sampleCache().size(), "an unknown metric leaves nothing cached");
            e.close();
            assertThrows(ClosedException.class, () -> e.sampledMetric("m"));
        }
    }

    @Test
    void shouldDescribeAQuery() {
        assertEquals("SampleQuery[max=default, LTTB, x=STEP]", SampleQuery.defaults().toString());
        assertEquals("SampleQuery[max=9, MINMAX_LTTB, x=TIMESTAMP, [1, 2]]", SampleQuery.ofMax(9)
            .withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB).withAxis(SampleQuery.Axis.TIMESTAMP).withRange(1, 2)
            .toString());
        assertEquals(SampleQuery.ofMax(9).withRange(1, 2), SampleQuery.ofMax(9).withRange(1, 2));
    }
}
