package io.runlog.sample;

import io.runlog.testing.TestSeed;
import io.runlog.MetricSeries;
import io.runlog.SampleQuery;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 4: adversarial checks of Lttb against an implementation written from the issue text
 * only (not from ReferenceLttb), and of the NaN rule / range / ordering invariants of
 * SampleSelection. Seed printed (-Drunlog.test.seed=N).
 */
class LttbAgainstIssueTextTest {

    /** Plain LTTB, straight from issue 4's bullet list. */
    static int[] issueLttb(final double[] x, final double[] y, final int max) {
        final int n = x.length;
        if (max < 3) {
            throw new IllegalArgumentException();
        }
        if (n <= max) {
            final int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        final double every = (double) (n - 2) / (double) (max - 2);
        final int[] out = new int[max];
        out[0] = 0;
        int a = 0;
        for (int i = 0; i <= max - 3; i++) {
            final int lo = (int) Math.floor(i * every) + 1;
            final int hi = (int) Math.floor((i + 1) * every) + 1;
            final int nlo = (int) Math.floor((i + 1) * every) + 1;
            final int nhi = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double sx = 0;
            double sy = 0;
            for (int k = nlo; k < nhi; k++) {
                sx = sx + x[k];
                sy = sy + y[k];
            }
            final double cx = sx / (nhi - nlo);
            final double cy = sy / (nhi - nlo);
            final double ax = x[a];
            final double ay = y[a];
            int best = lo;          // all-NaN bucket (overflow): first index, the documented deviation
            double bestArea = -1;
            for (int b = lo; b < hi; b++) {
                final double bx = x[b];
                final double by = y[b];
                final double area = Math.abs((ax - cx) * (by - ay) - (ax - bx) * (cy - ay)) * 0.5;
                if (area > bestArea) {
                    best = b;
                    bestArea = area;
                }
            }
            out[i + 1] = best;
            a = best;
        }
        out[max - 1] = n - 1;
        return out;
    }

    private static int[] prod(final double[] x, final double[] y, final int max) {
        final int[] out = new int[Math.max(1, Math.min(x.length, max))];
        final int c = Lttb.select(x, y, 0, x.length, max, out);
        return Arrays.copyOf(out, c);
    }

    private static void check(final double[] x, final double[] y, final int max, final String what) {
        assertArrayEquals(issueLttb(x, y, max), prod(x, y, max), what + " n=" + x.length + " max=" + max);
    }

    @Test
    void shouldMatchTheIssueTextOnEdgeShapesForEverySmallNAndMax() {
        final long seed = TestSeed.of("LttbAgainstIssueTextTest.edges");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int n = 0; n <= 70; n++) {
            for (int max = 3; max <= n + 2; max++) {
                for (int shape = 0; shape < 9; shape++) {
                    final double[] x = new double[n];
                    final double[] y = new double[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = switch (shape) {
                            case 0 -> 7;                       // every x duplicated
                            case 1 -> i / 3;                   // runs of equal x
                            case 2 -> -1e300 + i * 1e285;      // huge x, small steps relative to magnitude
                            default -> i;
                        };
                        y[i] = switch (shape) {
                            case 3 -> 1.0;                     // all equal: every area 0, ties everywhere
                            case 4 -> (i & 1) == 0 ? 1e-320 : -4.9e-324; // subnormals
                            case 5 -> (i % 5 == 0) ? 1e300 : -1e300;     // huge alternating
                            case 6 -> i < n / 2 ? 0.0 : -0.0;  // signed zeros
                            case 7 -> r.nextInt(3);            // many exact ties
                            default -> r.nextGaussian() * Math.pow(10, r.nextInt(-300, 300));
                        };
                    }
                    check(x, y, max, "shape " + shape + " seed " + seed);
                }
            }
        }
    }

    @Test
    void shouldMatchTheIssueTextAtNEqualsMaxPlusOneAndMaxThree() {
        final long seed = TestSeed.of("LttbAgainstIssueTextTest.maxplus1");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            final int max = 3 + r.nextInt(20_000);
            for (final int n : new int[] {max + 1, max + 2, 2 * max - 1, 2 * max, 3 + r.nextInt(50_000)}) {
                final double[] x = new double[n];
                final double[] y = new double[n];
                double w = 0;
                for (int i = 0; i < n; i++) {
                    x[i] = 1_700_000_000_000.0 + i * 10 + r.nextInt(3);
                    w += r.nextInt(50) == 0 ? r.nextGaussian() * 1e6 : r.nextGaussian();
                    y[i] = w;
                }
                check(x, y, max, "seed " + seed);
                check(x, y, 3, "max 3 seed " + seed);
            }
        }
    }

    // ------------------------------------------------------------------ NaN rule, ranges, order

    private static final long[] NON_FINITE = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff80000deadbeefL, 0xfff0000000000001L,
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
    };

    @Test
    void shouldNeverExceedMaxKeepBitsAndOrderForAnyMixOfNonFinitePoints() {
        final long seed = TestSeed.of("LttbAgainstIssueTextTest.nan");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 3_000; round++) {
            final int n = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(600);
            final int nonFinitePercent = new int[] {0, 1, 30, 50, 90, 100}[r.nextInt(6)];
            final long[] steps = new long[n];
            final long[] ts = new long[n];
            final long[] bits = new long[n];
            for (int i = 0; i < n; i++) {
                steps[i] = r.nextInt(4) == 0 ? r.nextInt(n) : i;
                ts[i] = r.nextInt(n + 1);
                bits[i] = r.nextInt(100) < nonFinitePercent ? NON_FINITE[r.nextInt(NON_FINITE.length)]
                    : Double.doubleToRawLongBits(r.nextInt(10) == 0 ? -0.0 : r.nextGaussian());
            }
            final MetricSeries s = Series.of(steps, ts, bits);
            final int max = 3 + r.nextInt(r.nextBoolean() ? 4 : 300);
            final SampleQuery.Axis axis = r.nextBoolean() ? SampleQuery.Axis.STEP : SampleQuery.Axis.TIMESTAMP;
            SampleQuery q = SampleQuery.ofMax(max).withAxis(axis);
            long from = Long.MIN_VALUE;
            long to = Long.MAX_VALUE;
            if (r.nextBoolean() && n > 0) {
                from = r.nextInt(n);
                to = from + r.nextInt(n);
                q = q.withRange(from, to);
            }
            final String what = "round " + round + " n " + n + " max " + max + " " + q + " seed " + seed;
            final MetricSeries out = SampleCache.fresh("m", q, Series.whole(s));

            // the stably sorted, range-filtered input
            final long[] key = axis == SampleQuery.Axis.STEP ? steps : ts;
            final List<Integer> inRange = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (key[i] >= from && key[i] <= to) {
                    inRange.add(i);
                }
            }
            inRange.sort((p, o) -> Long.compare(key[p], key[o])); // List.sort is stable
            assertTrue(out.size() <= max, what);
            if (inRange.size() <= max) {
                assertEquals(inRange.size(), out.size(), what);
            }
            // every output point is a distinct input point, in (x, arrival) order, bit-exact
            int cursor = 0;
            int nonFiniteIn = 0;
            int nonFiniteOut = 0;
            for (final int i : inRange) {
                nonFiniteIn += SortedMetric.isFinite(bits[i]) ? 0 : 1;
            }
            for (int k = 0; k < out.size(); k++) {
                while (cursor < inRange.size() && !same(s, inRange.get(cursor), out, k)) {
                    cursor++;
                }
                assertTrue(cursor < inRange.size(), what + ": output point " + k + " not found in order");
                cursor++;
                nonFiniteOut += SortedMetric.isFinite(out.valueBits(k)) ? 0 : 1;
            }
            if (nonFiniteIn > 0) {
                assertTrue(nonFiniteOut > 0, what + ": non-finite points vanished");
            }
            final int finiteIn = inRange.size() - nonFiniteIn;
            if (finiteIn > 0) {
                assertTrue(out.size() - nonFiniteOut >= Math.min(finiteIn, 2), what + ": finite ends lost");
            }
        }
    }

    private static boolean same(final MetricSeries s, final int i, final MetricSeries out, final int k) {
        return s.step(i) == out.step(k) && s.timestamp(i) == out.timestamp(k) && s.valueBits(i) == out.valueBits(k);
    }

    @Test
    void shouldSampleFinitePointsOfASortedSeriesExactlyAsTheIssueTextWithDuplicatedSteps() {
        final long seed = TestSeed.of("LttbAgainstIssueTextTest.dup");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            final int n = 10 + r.nextInt(3_000);
            final long[] steps = new long[n];
            final long[] ts = new long[n];
            final long[] bits = new long[n];
            for (int i = 0; i < n; i++) {
                steps[i] = i / (1 + r.nextInt(4));  // non-decreasing with repeats
                ts[i] = i;
                bits[i] = Double.doubleToRawLongBits(r.nextInt(5) == 0 ? 3.0 : r.nextGaussian());
            }
            for (int i = 1; i < n; i++) {
                steps[i] = Math.max(steps[i], steps[i - 1]);
            }
            final int max = 3 + r.nextInt(n);
            final MetricSeries out = SampleCache.fresh("m", SampleQuery.ofMax(max), Series.whole(Series.of(steps, ts, bits)));
            final double[] x = new double[n];
            final double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = steps[i];
                y[i] = Double.longBitsToDouble(bits[i]);
            }
            final int[] expected = issueLttb(x, y, max);
            final long[] expectedTs = new long[expected.length];
            for (int i = 0; i < expected.length; i++) {
                expectedTs[i] = ts[expected[i]];
            }
            assertArrayEquals(expectedTs, Arrays.copyOf(out.timestamps(), out.size()), "seed " + seed);
        }
    }
}
