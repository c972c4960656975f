package io.runlog.sample;

import io.runlog.testing.TestSeed;
import io.runlog.MetricSeries;
import io.runlog.NotFoundException;
import io.runlog.SampleQuery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.runlog.sample.Series.assertSameSeries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache extends sorted points as new points arrive and always answers exactly what a fresh
 * computation on the same points answers. Seeds printed (-Drunlog.test.seed=N).
 */
class SampleCacheTest {
    private static final long MIB = 1 << 20;

    @Test
    void shouldBuildTheSameSortedColumnsBatchByBatchAsAllAtOnce() {
        final long seed = TestSeed.of("SampleCacheTest.columns");
        final SplittableRandom r = new SplittableRandom(seed);
        final MetricSeries s = RandomSeries.make(r, 30_000, true);
        for (final SampleQuery.Axis axis : SampleQuery.Axis.values()) {
            final SortedMetric once = new SortedMetric(axis);
            once.append(s);
            final SortedMetric batches = new SortedMetric(axis);
            int at = 0;
            while (at < s.size()) {
                final int to = Math.min(s.size(), at + 1 + r.nextInt(r.nextBoolean() ? 10 : 3_000));
                batches.append(Series.slice(s, at, to));
                at = to;
            }
            assertEquals(s.size(), batches.consumed());
            assertSameColumns(once.finite(), batches.finite(), "finite " + axis + " seed " + seed);
            assertSameColumns(once.nonFinite(), batches.nonFinite(), "non-finite " + axis + " seed " + seed);
        }
    }

    private static void assertSameColumns(final SortedPoints a, final SortedPoints b, final String what) {
        assertEquals(a.size(), b.size(), what);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.key(i), b.key(i), what);
            assertEquals(a.other(i), b.other(i), what);
            assertEquals(a.arrival(i), b.arrival(i), what);
            assertEquals(a.valueBits(i), b.valueBits(i), what);
            if (a.finite()) {
                assertEquals(Double.doubleToRawLongBits(a.x()[i]), Double.doubleToRawLongBits(b.x()[i]), what);
            }
        }
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.key(i - 1) < a.key(i) || (a.key(i - 1) == a.key(i) && a.arrival(i - 1) < a.arrival(i)), what);
        }
    }

    @Test
    void shouldAnswerExactlyAsAFreshComputationAfterEveryAppend() {
        final long seed = TestSeed.of("SampleCacheTest.appends");
        final SplittableRandom r = new SplittableRandom(seed);
        final MetricSeries s = RandomSeries.make(r, 60_000, true);
        final List<SampleQuery> queries = List.of(
            SampleQuery.ofMax(1_000),
            SampleQuery.ofMax(500).withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB),
            SampleQuery.ofMax(300).withAxis(SampleQuery.Axis.TIMESTAMP),
            SampleQuery.ofMax(200).withRange(1_000, 9_000),
            SampleQuery.ofMax(3).withRange(20_000, 50_000).withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB));
        final SampleCache cache = new SampleCache(64 * MIB);
        final int[] visible = {0};
        final SampleCache.Source source = Series.growing(s, visible);
        while (visible[0] < s.size()) {
            visible[0] = Math.min(s.size(), visible[0] + 1 + r.nextInt(r.nextInt(8) == 0 ? 10_000 : 1_000));
            for (final SampleQuery q : queries) {
                final MetricSeries cached = cache.sample("p/e", "m", q, source);
                final MetricSeries fresh = SampleCache.fresh("m", q, Series.whole(Series.slice(s, 0, visible[0])));
                assertSameSeries(fresh, cached, q + " after " + visible[0] + " points, seed " + seed);
                assertTrue(cached.size() <= q.maxPoints());
            }
        }
    }

    @Test
    void shouldReturnTheStoredResultWhileNoPointArrives() {
        final MetricSeries s = RandomSeries.make(new SplittableRandom(1), 50_000, false);
        final SampleCache cache = new SampleCache(64 * MIB);
        final int[] visible = {40_000};
        final SampleQuery q = SampleQuery.ofMax(1_000);
        final MetricSeries first = cache.sample("p/e", "m", q, Series.growing(s, visible));
        assertEquals(1, cache.selections());
        assertSameSeries(first, cache.sample("p/e", "m", q, Series.growing(s, visible)), "stored result");
        assertEquals(1, cache.selections(), "served from the stored result");
        visible[0] = 40_001;
        cache.sample("p/e", "m", q, Series.growing(s, visible));
        assertEquals(2, cache.selections(), "a new point: selected again");
    }

    @Test
    void shouldReuseARangeResultWhenAppendsAreInOrderPastTheRange() {
        final int n = 20_000;
        final long[] steps = new long[n];
        final long[] ts = new long[n];
        final long[] vb = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            ts[i] = i;
            vb[i] = Double.doubleToRawLongBits(Math.cos(i / 100.0));
        }
        final MetricSeries s = Series.of(steps, ts, vb);
        final SampleCache cache = new SampleCache(64 * MIB);
        final int[] visible = {15_000};
        final SampleQuery zoom = SampleQuery.ofMax(100).withRange(2_000, 12_000);
        final MetricSeries first = cache.sample("p/e", "m", zoom, Series.growing(s, visible));
        visible[0] = n - 1;
        assertSameSeries(first, cache.sample("p/e", "m", zoom, Series.growing(s, visible)), "in order past the range");
        assertEquals(1, cache.selections(), "points after the range do not change it: reused");
        // the last point arrives late, inside the range: the result is computed again
        steps[n - 1] = 5_000;
        visible[0] = n;
        final MetricSeries after = cache.sample("p/e", "m", zoom, Series.growing(s, visible));
        assertEquals(2, cache.selections());
        assertSameSeries(SampleCache.fresh("m", zoom, Series.whole(s)), after, "late point in range");
    }

    @Test
    void shouldStayWithinItsMemoryBudgetDroppingTheLeastRecentlyUsed() {
        final SampleCache cache = new SampleCache(2 * MIB);
        final SplittableRandom r = new SplittableRandom(3);
        final MetricSeries s = RandomSeries.make(r, 20_000, true);
        for (int metric = 0; metric < 20; metric++) {
            final MetricSeries out = cache.sample("p/e", "m" + metric, SampleQuery.ofMax(1_000), Series.whole(s));
            assertSameSeries(SampleCache.fresh("m", SampleQuery.ofMax(1_000), Series.whole(s)), out, "m" + metric);
            assertTrue(cache.bytes() <= 2 * MIB, cache.bytes() + " bytes");
        }
        assertTrue(cache.size() >= 1 && cache.size() < 20, cache.size() + " metrics cached");
    }

    @Test
    void shouldSampleButNotKeepAMetricLargerThanTheBudget() {
        final SampleCache cache = new SampleCache(100_000);
        final MetricSeries s = RandomSeries.make(new SplittableRandom(4), 20_000, false);
        final SampleQuery q = SampleQuery.ofMax(500);
        assertSameSeries(SampleCache.fresh("m", q, Series.whole(s)), cache.sample("p/e", "m", q, Series.whole(s)), "big");
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
    }

    @Test
    void shouldKeepNothingWhenTheBudgetIsZero() {
        final SampleCache cache = new SampleCache(0);
        final MetricSeries s = RandomSeries.make(new SplittableRandom(5), 5_000, true);
        final SampleQuery q = SampleQuery.ofMax(100);
        assertSameSeries(SampleCache.fresh("m", q, Series.whole(s)), cache.sample("p/e", "m", q, Series.whole(s)), "off");
        assertEquals(0, cache.size());
        assertThrows(IllegalArgumentException.class, () -> new SampleCache(-1));
    }

    @Test
    void shouldKeepNoEntryForAMetricTheSourceDoesNotKnow() {
        final SampleCache cache = new SampleCache(MIB);
        assertThrows(NotFoundException.class, () -> cache.sample("p/e", "nope", SampleQuery.ofMax(10), first -> {
            throw new NotFoundException("no metric 'nope'");
        }));
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
    }
}
