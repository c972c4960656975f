package io.runlog.sample;

import io.runlog.testing.TestSeed;
import io.runlog.MetricSeries;
import io.runlog.SampleQuery;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static io.runlog.sample.Series.assertSameSeries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ordering, the NaN rule and ranges of a sampled series; seeds printed (-Drunlog.test.seed=N). */
class SampleSelectionTest {
    private static final long NAN_PAYLOAD = 0x7ff80000deadbeefL;
    private static final long POS_INF = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
    private static final long NEG_INF = Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);

    private static MetricSeries sample(final MetricSeries s, final SampleQuery q) {
        return SampleCache.fresh("m", q, Series.whole(s));
    }

    private static long bits(final double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void shouldOrderPointsByStepStablyByArrivalWhenTheyFit() {
        // timestamps number the arrivals
        final MetricSeries s = Series.of(new long[] {5, 3, 5, 1, 3}, new long[] {0, 1, 2, 3, 4},
            new long[] {bits(1), bits(2), bits(3), bits(4), bits(5)});
        final MetricSeries out = sample(s, SampleQuery.ofMax(10));
        assertArrayEquals(new long[] {1, 3, 3, 5, 5}, out.steps());
        assertArrayEquals(new long[] {3, 1, 4, 0, 2}, out.timestamps());
        assertArrayEquals(new long[] {bits(4), bits(2), bits(5), bits(1), bits(3)}, out.valueBitsArray());
    }

    @Test
    void shouldOrderByTimestampWhenAsked() {
        final MetricSeries s = Series.of(new long[] {0, 1, 2}, new long[] {30, 10, 20},
            new long[] {bits(1), bits(2), bits(3)});
        final MetricSeries out = sample(s, SampleQuery.ofMax(3).withAxis(SampleQuery.Axis.TIMESTAMP));
        assertArrayEquals(new long[] {10, 20, 30}, out.timestamps());
        assertArrayEquals(new long[] {1, 2, 0}, out.steps());
    }

    @Test
    void shouldSampleOutOfOrderPointsAsTheReferenceDoesOnTheStablySortedSeries() {
        final long seed = TestSeed.of("SampleSelectionTest.sorted");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 30; round++) {
            final int n = 10 + r.nextInt(5_000);
            final long[] steps = new long[n];
            final long[] ts = new long[n];
            final long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                steps[i] = r.nextInt(n / 2 + 1);
                ts[i] = i;
                values[i] = bits(r.nextGaussian());
            }
            final int max = 3 + r.nextInt(n);
            final SampleQuery q = SampleQuery.ofMax(max);
            // plain stable sort: boxed indices with a comparator (Arrays.sort on objects is stable)
            final Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> steps[i]));
            final double[] x = new double[n];
            final double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = steps[order[i]];
                y[i] = Double.longBitsToDouble(values[order[i]]);
            }
            final int[] expected = ReferenceLttb.indices(x, y, max);
            final MetricSeries out = sample(Series.of(steps, ts, values), q);
            assertEquals(expected.length, out.size(), "seed " + seed);
            for (int k = 0; k < expected.length; k++) {
                assertEquals((long) order[expected[k]], out.timestamp(k), "point " + k + " seed " + seed);
            }
        }
    }

    @Test
    void shouldKeepTheFirstAndLastPointOfADivergedTailAndSampleTheFiniteRest() {
        final int finite = 1_000;
        final int n = 6_000;
        final long[] steps = new long[n];
        final long[] ts = new long[n];
        final long[] values = new long[n];
        final double[] x = new double[finite];
        final double[] y = new double[finite];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            ts[i] = 1000 + i;
            values[i] = i < finite ? bits(Math.sin(i / 30.0)) : (i == n - 1 ? NAN_PAYLOAD : bits(Double.NaN));
            if (i < finite) {
                x[i] = i;
                y[i] = Math.sin(i / 30.0);
            }
        }
        final MetricSeries out = sample(Series.of(steps, ts, values), SampleQuery.ofMax(100));
        assertEquals(100, out.size());
        final int[] expected = ReferenceLttb.indices(x, y, 98);
        for (int k = 0; k < 98; k++) {
            assertEquals(expected[k], out.step(k));
        }
        assertEquals(finite, out.step(98));
        assertEquals(bits(Double.NaN), out.valueBits(98));
        assertEquals(n - 1, out.step(99));
        assertEquals(NAN_PAYLOAD, out.valueBits(99), "the NaN payload is kept bit for bit");
    }

    @Test
    void shouldTreatEachClassOfNonFiniteValueAsItsOwnRun() {
        final List<Long> v = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            v.add(bits(i));
        }
        v.add(POS_INF);
        v.add(POS_INF);
        v.add(POS_INF);
        v.add(NEG_INF);
        v.add(NAN_PAYLOAD);
        v.add(bits(Double.NaN));
        for (int i = 0; i < 50; i++) {
            v.add(bits(i));
        }
        final MetricSeries out = sample(seriesOf(v), SampleQuery.ofMax(20));
        assertEquals(20, out.size());
        final List<Long> nonFiniteSteps = new ArrayList<>();
        for (int k = 0; k < out.size(); k++) {
            if (!Double.isFinite(out.value(k))) {
                nonFiniteSteps.add(out.step(k));
            }
        }
        // +inf run 50..52 (both ends), -inf 53, NaN run 54..55 (both ends)
        assertEquals(List.of(50L, 52L, 53L, 54L, 55L), nonFiniteSteps);
    }

    @Test
    void shouldThinFragmentedNonFinitePointsToHalfTheMaximum() {
        final List<Long> v = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            v.add((i & 1) == 0 ? bits(Double.NaN) : bits(i));
        }
        final MetricSeries out = sample(seriesOf(v), SampleQuery.ofMax(101));
        assertEquals(101, out.size());
        int nonFinite = 0;
        for (int k = 0; k < out.size(); k++) {
            nonFinite += Double.isFinite(out.value(k)) ? 0 : 1;
            assertTrue(k == 0 || out.step(k) > out.step(k - 1), "x order");
        }
        assertEquals(50, nonFinite);
    }

    @Test
    void shouldReturnOnlyNonFinitePointsOfAnAllNaNMetricWithinTheMaximum() {
        final List<Long> v = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            v.add(NAN_PAYLOAD);
        }
        final MetricSeries out = sample(seriesOf(v), SampleQuery.ofMax(15));
        assertEquals(2, out.size());
        assertEquals(0, out.step(0));
        assertEquals(999, out.step(1));
        assertEquals(NAN_PAYLOAD, out.valueBits(1));
    }

    @Test
    void shouldSampleARangeAsTheSameSeriesCutToThatRange() {
        final long seed = TestSeed.of("SampleSelectionTest.range");
        final SplittableRandom r = new SplittableRandom(seed);
        final MetricSeries s = RandomSeries.make(r, 20_000, true);
        for (int round = 0; round < 20; round++) {
            final long a = r.nextInt(25_000) - 2_000;
            final long b = a + r.nextInt(15_000);
            final SampleQuery q = SampleQuery.ofMax(3 + r.nextInt(2_000)).withRange(a, b)
                .withAlgorithm(r.nextBoolean() ? SampleQuery.Algorithm.LTTB : SampleQuery.Algorithm.MINMAX_LTTB);
            final List<Integer> inside = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                if (s.step(i) >= a && s.step(i) <= b) {
                    inside.add(i);
                }
            }
            final long[] st = new long[inside.size()];
            final long[] ts = new long[inside.size()];
            final long[] vb = new long[inside.size()];
            for (int k = 0; k < st.length; k++) {
                st[k] = s.step(inside.get(k));
                ts[k] = s.timestamp(inside.get(k));
                vb[k] = s.valueBits(inside.get(k));
            }
            final SampleQuery unranged = SampleQuery.ofMax(q.maxPoints()).withAlgorithm(q.algorithm());
            final MetricSeries out = sample(s, q);
            assertSameSeries(sample(Series.of(st, ts, vb), unranged), out, "range " + q + " seed " + seed);
            assertTrue(out.size() <= q.maxPoints());
            for (int k = 0; k < out.size(); k++) {
                assertTrue(out.step(k) >= a && out.step(k) <= b);
            }
        }
    }

    private static MetricSeries seriesOf(final List<Long> values) {
        final int n = values.size();
        final long[] steps = new long[n];
        final long[] ts = new long[n];
        final long[] vb = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            ts[i] = 10L * i;
            vb[i] = values.get(i);
        }
        return Series.of(steps, ts, vb);
    }
}
