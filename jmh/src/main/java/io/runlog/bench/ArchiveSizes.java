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
            System.out.println("kind,points,archive_bytes,bytes_per_point");
            int k = 0;
            for (final Object[] kind : kinds) {
                final IntToDoubleFunction f = (IntToDoubleFunction) kind[1];
                try (Experiment e = store.projectOrCreate("sizes", ProjectKind.EXPERIMENT_MANAGEMENT)
                    .createExperiment("kind-" + k++)) {
                    final MetricHandle m = e.metric("m");
                    long ts = HotPathBenchmark.BASE_TS;
                    final SplittableRandom jitter = new SplittableRandom(11);
                    for (int i = 0; i < n; i++) {
                        ts += 180 + jitter.nextInt(41);
                        m.log(i, ts, f.applyAsDouble(i));
                    }
                    final long bytes = e.export(dir.resolve("kind.rla")).bytes();
                    System.out.printf(Locale.ROOT, "\"%s\",%d,%d,%.3f%n", kind[0], n, bytes, (double) bytes / n);
                }
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }
}
