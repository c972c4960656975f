package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * Archive bytes per point by kind of value series: one experiment per kind, one metric of
 * {@code --points} points (steps 0, 1, 2 ..., timestamps 180 to 220 ms apart), exported, the
 * archive's size divided by the points. Shows which value coder each kind of ML curve gets.
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar ArchiveSizes [--points N]
 * </pre>
 */
public final class ArchiveSizes {
    private ArchiveSizes() {
    }

    /**
     * Bits the value encoding of Gorilla (Pelkonen et al., VLDB 2015) takes for {@code v}: the first
     * value whole; then per value the XOR with its predecessor: '0' if zero; else '10' and the
     * meaningful bits if they fit the previous leading/trailing-zero window; else '11', 5 bits of
     * leading zeros (at most 31), 6 bits of length and the meaningful bits.
     */
    static long gorillaBits(final double[] v) {
        long bits = 64;
        int prevLeading = -1;
        int prevTrailing = 0;
        for (int i = 1; i < v.length; i++) {
            final long x = Double.doubleToRawLongBits(v[i]) ^ Double.doubleToRawLongBits(v[i - 1]);
            if (x == 0) {
                bits += 1;
                continue;
            }
            final int leading = Math.min(31, Long.numberOfLeadingZeros(x));
            final int trailing = Long.numberOfTrailingZeros(x);
            if (prevLeading >= 0 && leading >= prevLeading && trailing >= prevTrailing) {
                bits += 2 + 64 - prevLeading - prevTrailing;
            } else {
                bits += 2 + 5 + 6 + 64 - leading - trailing;
                prevLeading = leading;
                prevTrailing = trailing;
            }
        }
        return bits;
    }

    public static void main(final String[] args) {
        BenchSupport.quietChronicle();
        int points = 100_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--points")) {
                points = Integer.parseInt(args[++i].replace("_", ""));
            } else {
                System.err.println("usage: ArchiveSizes [--points N]");
                System.exit(2);
            }
        }
        final int n = points;
        final SplittableRandom r = new SplittableRandom(7);
        final double[] walk = new double[n];
        double w = 5;
        for (int i = 0; i < n; i++) {
            w += r.nextGaussian() * 0.01;
            walk[i] = w + r.nextGaussian() * 0.05;
        }
        final Object[][] kinds = {
            {"loss, 4 decimals, noisy", (IntToDoubleFunction) i -> Math.round(walk[i] * 1e4) / 1e4},
            {"learning rate, 6 decimals, schedule", (IntToDoubleFunction) i -> Math.round(6e-4 * Math.cos(i * 1.5 / n) * 1e6) / 1e6},
            {"loss, float32 widened, noisy", (IntToDoubleFunction) i -> (double) (float) walk[i]},
            {"loss, full float64, noisy", (IntToDoubleFunction) i -> walk[i]},
            {"schedule, full float64, smooth", (IntToDoubleFunction) i -> 6e-4 * Math.cos(i * 1.5 / n)},
            {"episode length, integers", (IntToDoubleFunction) i -> 17 + r.nextInt(1000)},
            {"constant", (IntToDoubleFunction) i -> 0.1},
        };
        final Path dir = BenchSupport.tempDir("runlog-bench-archive-sizes-");
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), new StoreOptions())) {
            System.out.println("kind,points,archive_bytes,bytes_per_point,gorilla_value_bytes_per_point");
            int k = 0;
            for (final Object[] kind : kinds) {
                final IntToDoubleFunction f = (IntToDoubleFunction) kind[1];
                try (Experiment e = store.projectOrCreate("sizes", ProjectKind.EXPERIMENT_MANAGEMENT)
                    .createExperiment("kind-" + k++)) {
                    final MetricHandle m = e.metric("m");
                    final double[] values = new double[n];
                    long ts = HotPathBenchmark.BASE_TS;
                    final SplittableRandom jitter = new SplittableRandom(11);
                    for (int i = 0; i < n; i++) {
                        ts += 180 + jitter.nextInt(41);
                        values[i] = f.applyAsDouble(i);
                        m.log(i, ts, values[i]);
                    }
                    final long bytes = e.export(dir.resolve("kind.rla")).bytes();
                    System.out.printf(Locale.ROOT, "\"%s\",%d,%d,%.3f,%.3f%n", kind[0], n, bytes, (double) bytes / n,
                        gorillaBits(values) / 8.0 / n);
                }
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }
}
