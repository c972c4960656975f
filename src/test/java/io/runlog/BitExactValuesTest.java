package io.runlog;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property test: any double bit pattern, in particular NaN payloads, both infinities, -0.0 and
 * subnormals, reads back with the same bits, before and after reopening. The seed is printed and
 * can be fixed with -Drunlog.test.seed=N.
 */
class BitExactValuesTest {
    private static final long[] SPECIAL = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff0000000000001L, 0x7ff4000000000000L, 0xfff8000000000000L,
        0xffffffffffffffffL, 0x7fffffffffffffffL, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(-0.0), 0L,
        1L, 0x000fffffffffffffL, 0x8000000000000001L, Double.doubleToRawLongBits(Double.MIN_NORMAL),
        Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(-Double.MAX_VALUE),
    };

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripEveryBitPatternExactly() {
        final long seed = TestSeed.of("BitExactValuesTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final int n = 200_000;
        final long[] bits = new long[n];
        final long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            bits[i] = switch (random.nextInt(4)) {
                case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
                case 1 -> random.nextLong() | 0x7ff0000000000000L; // NaNs and infinities, any sign and payload
                case 2 -> random.nextLong() & 0x800fffffffffffffL; // subnormals and zeros
                default -> random.nextLong();
            };
            steps[i] = random.nextInt(3) == 0 ? random.nextLong() : i; // repeats, gaps, negative steps
        }
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle m = e.metric("m");
            for (int i = 0; i < n; i++) {
                m.log(steps[i], i, Double.longBitsToDouble(bits[i]));
            }
            e.logParameter("nan", Double.longBitsToDouble(0x7ff0000000000123L));
            check(e.readMetric("m"), steps, bits, seed);
        }
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment e = store.project("p").openExperiment("e")) {
            check(e.readMetric("m"), steps, bits, seed);
            assertEquals(0x7ff0000000000123L, Double.doubleToRawLongBits(e.parameters().get("nan").doubleValue()));
        }
    }

    private static void check(final MetricSeries s, final long[] steps, final long[] bits, final long seed) {
        assertEquals(bits.length, s.size());
        for (int i = 0; i < bits.length; i++) {
            if (s.valueBits(i) != bits[i] || s.step(i) != steps[i] || s.timestamp(i) != i) {
                fail("point " + i + " differs (seed " + seed + "): bits " + Long.toHexString(s.valueBits(i)) + " vs "
                    + Long.toHexString(bits[i]));
            }
        }
    }
}
