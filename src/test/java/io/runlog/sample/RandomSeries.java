package io.runlog.sample;

import io.runlog.MetricSeries;

import java.util.SplittableRandom;

/** Random metric series: mostly increasing steps with some out of order and repeated, optional non-finite values. */
final class RandomSeries {
    private static final long[] NON_FINITE = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff80000deadbeefL, 0xfff8000000000001L,
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
    };

    private RandomSeries() {
    }

    static MetricSeries make(final SplittableRandom r, final int n, final boolean nonFinite) {
        final long[] steps = new long[n];
        final long[] ts = new long[n];
        final long[] values = new long[n];
        double walk = 0;
        for (int i = 0; i < n; i++) {
            final int kind = r.nextInt(100);
            steps[i] = kind < 5 ? r.nextInt(i + 1) : (kind < 8 && i > 0 ? steps[i - 1] : i);
            ts[i] = 1_700_000_000_000L + i * 10L + r.nextInt(20);
            walk += r.nextGaussian();
            values[i] = nonFinite && r.nextInt(50) == 0 ? NON_FINITE[r.nextInt(NON_FINITE.length)]
                : Double.doubleToRawLongBits(walk);
        }
        return new MetricSeries("m", n, steps, ts, values);
    }
}
