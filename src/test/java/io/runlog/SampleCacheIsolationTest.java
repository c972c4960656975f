package io.runlog;

import io.runlog.sample.SampleCache;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Review 4: the sample cache against fresh computations under a live writer, and its memory policy. */
class SampleCacheIsolationTest {
    @TempDir
    Path dir;

    private static MetricSeries prefix(final int n) {
        final long[] steps = new long[n];
        final long[] ts = new long[n];
        final long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            ts[i] = i;
            bits[i] = Double.doubleToRawLongBits(value(i));
        }
        return new MetricSeries("m", n, steps, ts, bits);
    }

    private static double value(final int i) {
        return i % 997 == 0 ? Double.NaN : Math.sin(i / 100.0) + (i % 13) * 0.01;
    }

    private static void assertSame(final MetricSeries expected, final MetricSeries actual, final String what) {
        assertEquals(expected.size(), actual.size(), what);
        assertArrayEquals(Arrays.copyOf(expected.steps(), expected.size()), Arrays.copyOf(actual.steps(), actual.size()), what);
        assertArrayEquals(Arrays.copyOf(expected.timestamps(), expected.size()),
            Arrays.copyOf(actual.timestamps(), actual.size()), what);
        assertArrayEquals(Arrays.copyOf(expected.valueBitsArray(), expected.size()),
            Arrays.copyOf(actual.valueBitsArray(), actual.size()), what);
    }

    @Test
    void shouldAnswerEveryConcurrentReadExactlyAsAFreshComputationOnThePointsItSaw() throws Exception {
        final SampleQuery[] queries = {
            SampleQuery.ofMax(500),
            SampleQuery.ofMax(300).withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB),
            SampleQuery.ofMax(200).withAxis(SampleQuery.Axis.TIMESTAMP),
        };
        final int points = 80_000;
        final AtomicInteger checked = new AtomicInteger();
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0).ringCapacity(1 << 10));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle m = e.metric("m");
            m.log(0, 0, value(0));
            final AtomicBoolean done = new AtomicBoolean();
            Concurrently.run(4, id -> {
                if (id == 0) {
                    for (int i = 1; i < points; i++) {
                        m.log(i, i, value(i));
                    }
                    done.set(true);
                    return;
                }
                int k = 0;
                while (!done.get()) {
                    final SampleQuery q = queries[(id + k++) % queries.length];
                    final MetricSeries got = e.sampledMetric("m", q);
                    // points arrive in step order and the last point is always kept: it tells the prefix seen
                    final int seen = (int) got.step(got.size() - 1) + 1;
                    final MetricSeries fresh = SampleCache.fresh("m", q, first -> {
                        final MetricSeries all = prefix(seen);
                        return first == 0 ? all : prefix(0);
                    });
                    assertSame(fresh, got, q + " after " + seen + " points");
                    checked.incrementAndGet();
                }
            });
        }
        assertTrue(checked.get() > 0);
    }

    /**
     * docs/sampling.md: "a metric larger than the whole budget is sampled but not kept". It is not
     * kept, but polling it also evicts every other cached metric on every call.
     */
    @Test
    void shouldNotEvictOtherMetricsWhenAMetricTooLargeForTheBudgetIsSampled() {
        final SampleCache cache = new SampleCache(1 << 20);
        final MetricSeries small = prefix(2_000);
        final MetricSeries big = prefix(100_000);
        final SampleQuery q = SampleQuery.ofMax(100);
        cache.sample("p/e", "small", q, first -> first == 0 ? small : prefix(0));
        assertEquals(1, cache.size());
        cache.sample("p/e", "big", q, first -> first == 0 ? big : prefix(0));
        assertEquals(1, cache.size(), "the small metric should still be cached");
    }

    /** The cached arrays are handed out as is: one careless caller changes what every later caller gets. */
    @Test
    void shouldNotLetOneCallerChangeTheCachedResultOfAnother() {
        final SampleCache cache = new SampleCache(1 << 20);
        final MetricSeries s = prefix(5_000);
        final SampleQuery q = SampleQuery.ofMax(100);
        final MetricSeries first = cache.sample("p/e", "m", q, f -> f == 0 ? s : prefix(0));
        final long step = first.step(0);
        first.steps()[0] = 42;
        assertEquals(step, cache.sample("p/e", "m", q, f -> f == 0 ? s : prefix(0)).step(0));
    }
}
