package io.runlog.sample;

import java.util.SplittableRandom;

/** Random and adversarial series (x, y) for the sampler tests. All values finite. */
final class Shapes {
    static final String[] NAMES = {
        "randomWalk", "uniform", "spikes", "plateau", "steps", "huge", "tiny", "duplicatedX", "sameX",
        "timestamps", "zigzag", "signedZeros",
    };

    final double[] x;
    final double[] y;

    private Shapes(final int n) {
        x = new double[n];
        y = new double[n];
    }

    static Shapes make(final String shape, final int n, final SplittableRandom r) {
        final Shapes s = new Shapes(n);
        double walk = 0;
        for (int i = 0; i < n; i++) {
            s.x[i] = i;
            switch (shape) {
                case "randomWalk" -> s.y[i] = walk += r.nextGaussian();
                case "uniform" -> s.y[i] = r.nextDouble();
                case "spikes" -> s.y[i] = r.nextInt(97) == 0 ? 1e6 * (r.nextBoolean() ? 1 : -1) : r.nextDouble() * 1e-3;
                case "plateau" -> s.y[i] = 42.0;
                case "steps" -> s.y[i] = (i / (1 + n / 7)) % 3;
                case "huge" -> s.y[i] = (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
                case "tiny" -> s.y[i] = Double.MIN_VALUE * r.nextInt(5) * (r.nextBoolean() ? 1 : -1);
                case "duplicatedX" -> {
                    s.x[i] = i / 3;
                    s.y[i] = r.nextInt(4);
                }
                case "sameX" -> {
                    s.x[i] = 7;
                    s.y[i] = r.nextGaussian();
                }
                case "timestamps" -> {
                    s.x[i] = 1.7e12 + i * 1000.0 + r.nextInt(3);
                    s.y[i] = Math.exp(-i / 500.0) + 0.01 * r.nextGaussian();
                }
                case "zigzag" -> s.y[i] = (i & 1) == 0 ? 1 : -1;
                case "signedZeros" -> s.y[i] = r.nextBoolean() ? 0.0 : -0.0;
                default -> throw new IllegalArgumentException(shape);
            }
        }
        return s;
    }
}
