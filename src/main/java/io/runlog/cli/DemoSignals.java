package io.runlog.cli;

import java.util.SplittableRandom;

/**
 * The simulated training run of {@code runlog demo}: four metrics whose values are a pure
 * function of the seed and the step sequence, so the demo can regenerate them to check what it
 * reads back instead of keeping a copy. Each metric has its own random stream, so a metric can be
 * regenerated alone.
 */
final class DemoSignals {
    static final String[] METRICS = {"loss", "lr", "accuracy", "grad_norm"};
    static final int LOSS = 0;
    static final int LR = 1;
    static final int ACCURACY = 2;
    static final int GRAD_NORM = 3;
    /** The one diverged loss: a quiet NaN with a payload, to show that payloads survive. */
    static final long NAN_LOSS_BITS = 0x7ff80000deadbeefL;

    private static final double PEAK_LR = 3e-4;

    private final long steps;
    private final long warmup;
    private final SplittableRandom[] random = new SplittableRandom[METRICS.length];

    DemoSignals(final long steps, final long seed) {
        this.steps = steps;
        this.warmup = Math.max(1, steps / 100);
        for (int m = 0; m < METRICS.length; m++) {
            random[m] = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (m + 1));
        }
    }

    /** The step at which the loss is NaN. */
    long nanStep() {
        return steps / 2;
    }

    /** Fills {@code out[0..n)} with metric {@code metric}'s values for steps {@code from..from+n-1}, in order. */
    void fill(final int metric, final long from, final int n, final double[] out) {
        final SplittableRandom r = random[metric];
        for (int i = 0; i < n; i++) {
            final long step = from + i;
            final double progress = (double) step / steps;
            switch (metric) {
                case LOSS:
                    final double loss = 0.3 + 2.2 * Math.exp(-5 * progress) + 0.05 * r.nextGaussian() * (1 - 0.5 * progress);
                    out[i] = step == nanStep() ? Double.longBitsToDouble(NAN_LOSS_BITS) : loss;
                    break;
                case LR:
                    out[i] = step < warmup
                        ? PEAK_LR * (step + 1) / warmup
                        : 0.5 * PEAK_LR * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, steps - warmup)));
                    break;
                case ACCURACY:
                    out[i] = Math.min(1.0, Math.max(0.0, 0.95 - 0.85 * Math.exp(-4 * progress) + 0.01 * r.nextGaussian()));
                    break;
                case GRAD_NORM:
                    final double norm = 1.0 + 0.25 * Math.abs(r.nextGaussian());
                    out[i] = r.nextInt(1000) == 0 ? norm * (10 + 40 * r.nextDouble()) : norm;
                    break;
                default:
                    throw new IllegalArgumentException("metric " + metric);
            }
        }
    }
}
