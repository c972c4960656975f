package io.runlog.sample;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lttb} selects exactly the indices of {@link ReferenceLttb} on random and adversarial
 * series. The seed is printed and can be fixed with -Drunlog.test.seed=N.
 */
class LttbTest {
    private static int[] select(final double[] x, final double[] y, final int max) {
        final int[] out = new int[Math.min(x.length, max)];
        final int count = Lttb.select(x, y, 0, x.length, max, out);
        assertEquals(out.length, count);
        return out;
    }

    @Test
    void shouldPickTheLargestTriangleInAHandWorkedExample() {
        // n = 5, max = 3: every = 3, one bucket [1, 4), the average of the next bucket is the last point
        // (4, 0); with a = (0, 0) the area of point j is 2 * y[j]
        final double[] x = {0, 1, 2, 3, 4};
        final double[] y = {0, 1, 5, 2, 0};
        assertArrayEquals(new int[] {0, 2, 4}, select(x, y, 3));
    }

    @Test
    void shouldKeepTheLowestIndexOnATie() {
        final double[] x = {0, 1, 2, 3, 4};
        final double[] y = {0, 3, 3, 3, 0};
        assertArrayEquals(new int[] {0, 1, 4}, select(x, y, 3));
    }

    @Test
    void shouldReturnEveryPointWhenTheSeriesFits() {
        final double[] x = {0, 1, 2, 3};
        final double[] y = {4, 3, 2, 1};
        assertArrayEquals(new int[] {0, 1, 2, 3}, select(x, y, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, select(x, y, 15_000));
        assertArrayEquals(new int[0], select(new double[0], new double[0], 3));
    }

    @Test
    void shouldRejectAMaximumBelowThree() {
        final double[] x = {0, 1, 2, 3};
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Lttb.select(x, x, 0, 4, 2, new int[4]));
        assertTrue(e.getMessage().contains("max >= 3, got 2"), e.getMessage());
    }

    @Test
    void shouldSelectWithinASubArrayAsOnACopyOfIt() {
        final SplittableRandom r = new SplittableRandom(11);
        final Shapes s = Shapes.make("randomWalk", 5_000, r);
        final int from = 1_234;
        final int n = 2_000;
        final int[] inPlace = new int[100];
        Lttb.select(s.x, s.y, from, n, 100, inPlace);
        final int[] copy = select(Arrays.copyOfRange(s.x, from, from + n), Arrays.copyOfRange(s.y, from, from + n), 100);
        for (int i = 0; i < 100; i++) {
            assertEquals(copy[i] + from, inPlace[i]);
        }
    }

    @Test
    void shouldSelectExactlyTheReferenceIndicesOnRandomAndAdversarialSeries() {
        final long seed = TestSeed.of("LttbTest");
        final SplittableRandom r = new SplittableRandom(seed);
        int compared = 0;
        for (final String shape : Shapes.NAMES) {
            for (int round = 0; round < 40; round++) {
                final int n = round < 5 ? round : 3 + r.nextInt(round < 30 ? 400 : 6_000);
                final Shapes s = Shapes.make(shape, n, r);
                final int max = 3 + r.nextInt(Math.max(1, n + 2));
                final int[] expected = ReferenceLttb.indices(s.x, s.y, max);
                final int[] actual = select(s.x, s.y, max);
                assertArrayEquals(expected, actual, () -> shape + " n=" + n + " max=" + max + " seed=" + seed);
                compared++;
            }
        }
        assertEquals(Shapes.NAMES.length * 40, compared);
    }

    @Test
    void shouldMatchTheReferenceAtTheEdgesOfTheBucketArithmetic() {
        final SplittableRandom r = new SplittableRandom(5);
        for (final int n : new int[] {4, 5, 6, 7, 101, 1_000, 4_097}) {
            for (final int max : new int[] {3, 4, n - 1, n / 2 + 1, n / 3 + 2}) {
                if (max < 3) {
                    continue;
                }
                final Shapes s = Shapes.make("uniform", n, r);
                assertArrayEquals(ReferenceLttb.indices(s.x, s.y, max), select(s.x, s.y, max), "n=" + n + " max=" + max);
            }
        }
    }

    @Test
    void shouldSelectTheBucketsFirstPointWhenEveryAreaOverflowsToNaN() {
        // a = (0, -MAX), next-bucket average (4, MAX): (by - ay) and (cy - ay) overflow to infinity, and
        // every area is -inf - (-inf) = NaN
        final double m = Double.MAX_VALUE;
        final double[] x = {0, 1, 2, 3, 4};
        final double[] y = {-m, m, m, m, m};
        final double dx = x[0] - 4;
        assertTrue(Double.isNaN(Math.abs(dx * (y[2] - y[0]) - (x[0] - x[2]) * (m - y[0])) * 0.5));
        assertArrayEquals(new int[] {0, 1, 4}, select(x, y, 3));
        assertArrayEquals(ReferenceLttb.indices(x, y, 3), select(x, y, 3));
    }
}
