package io.runlog.sample;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MinMaxLttb} against the plain spelling in {@link ReferenceLttb}; seed printed (-Drunlog.test.seed=N). */
class MinMaxLttbTest {
    private static int[] select(final MinMaxLttb sampler, final double[] x, final double[] y, final int max) {
        final int[] out = new int[Math.min(x.length, max)];
        assertEquals(out.length, sampler.select(x, y, 0, x.length, max, out));
        return out;
    }

    @Test
    void shouldBePlainLttbWhenTheSeriesIsShortRelativeToTheMaximum() {
        final SplittableRandom r = new SplittableRandom(3);
        final Shapes s = Shapes.make("randomWalk", 400, r);
        // 400 / 100 = 4, not above the ratio 4
        assertArrayEquals(ReferenceLttb.indices(s.x, s.y, 100), select(new MinMaxLttb(), s.x, s.y, 100));
    }

    @Test
    void shouldSelectExactlyTheReferenceMinMaxLttbIndices() {
        final long seed = TestSeed.of("MinMaxLttbTest");
        final SplittableRandom r = new SplittableRandom(seed);
        final MinMaxLttb sampler = new MinMaxLttb();
        for (final String shape : Shapes.NAMES) {
            for (int round = 0; round < 15; round++) {
                final int n = 3 + r.nextInt(20_000);
                final int max = 3 + r.nextInt(Math.max(1, n / 6));
                final Shapes s = Shapes.make(shape, n, r);
                assertArrayEquals(ReferenceLttb.minMaxIndices(s.x, s.y, max, MinMaxLttb.DEFAULT_RATIO),
                    select(sampler, s.x, s.y, max), () -> shape + " n=" + n + " max=" + max + " seed=" + seed);
            }
        }
    }

    @Test
    void shouldKeepTheExtremesOfEveryBinAvailableToLttb() {
        // one spike per bin-sized stretch: MinMax pre-selection must keep it, so LTTB still sees it
        final int n = 100_000;
        final double[] x = new double[n];
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        y[54_321] = 1e9;
        final int[] selected = select(new MinMaxLttb(), x, y, 100);
        boolean spike = false;
        for (final int i : selected) {
            spike |= i == 54_321;
        }
        assertTrue(spike, "the spike must survive");
        assertEquals(0, selected[0]);
        assertEquals(n - 1, selected[99]);
    }

    @Test
    void shouldRejectABadRatioOrMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new MinMaxLttb(1));
        final double[] x = new double[10];
        assertThrows(IllegalArgumentException.class, () -> new MinMaxLttb().select(x, x, 0, 10, 2, new int[10]));
    }
}
