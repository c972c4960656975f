package io.runlog.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The columns {@link CodecBenchmark} codes: {@code n} values of one kind. Synthetic kinds are
 * deterministic (java.util.Random(42)); the {@code gpt2_*} and {@code rl_*} kinds are the first
 * {@code n} points of one metric of the real curves in {@code runlog.curves} (default
 * {@code /work/shared/data/curves}), the values as the CSV printed them.
 */
final class CodecData {
    static final String CURVES = System.getProperty("runlog.curves", "/work/shared/data/curves");

    private CodecData() {
    }

    /** Whether a kind's values are integers (steps, timestamps) rather than double bits. */
    static boolean integers(final String kind) {
        return kind.equals("steps") || kind.equals("timestamps");
    }

    /** Whether a kind's values are float32s widened. */
    static boolean floats(final String kind) {
        return kind.equals("noisy32");
    }

    static long[] column(final String kind, final int n) {
        final long[] v = new long[n];
        final Random random = new Random(42);
        switch (kind) {
            case "steps" -> Arrays.setAll(v, i -> i);
            case "timestamps" -> {
                long t = 1_700_000_000_000L;
                for (int i = 0; i < n; i++) {
                    t += 12 + random.nextInt(7) - 3; // a step every ~12 ms, jitter of 3 ms
                    v[i] = t;
                }
            }
            case "noisy64" -> {
                for (int i = 0; i < n; i++) {
                    v[i] = Double.doubleToRawLongBits(2.5 * Math.exp(-i / 2e5) + 0.05 * random.nextGaussian());
                }
            }
            case "noisy32" -> {
                for (int i = 0; i < n; i++) {
                    v[i] = Double.doubleToRawLongBits((float) (2.5 * Math.exp(-i / 2e5) + 0.05 * random.nextGaussian()));
                }
            }
            case "smooth" -> Arrays.setAll(v, i -> Double.doubleToRawLongBits(i * 1e-3));
            case "gpt2_train_loss" -> curve(v, "gpt2-124m-llmc.csv", "train_loss");
            case "gpt2_lr" -> curve(v, "gpt2-124m-llmc.csv", "lr");
            case "gpt2_grad_norm" -> curve(v, "gpt2-124m-llmc.csv", "grad_norm");
            case "rl_episode_reward" -> curve(v, "rl-a2c-humanoid.csv", "episode_reward");
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return v;
    }

    private static void curve(final long[] v, final String file, final String metric) {
        try (var lines = Files.lines(Path.of(CURVES, file))) {
            final double[] values = lines.skip(1).map(l -> l.split(",", -1)).filter(f -> f[0].equals(metric))
                .limit(v.length).mapToDouble(f -> Double.parseDouble(f[2])).toArray();
            if (values.length < v.length) {
                throw new IllegalStateException(metric + ": " + values.length + " points, need " + v.length);
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.doubleToRawLongBits(values[i]);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
