package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Disk footprint per point: logs {@code --points} points round-robin over {@code --metrics}
 * metrics of one experiment, closes the store, and divides the bytes allocated on disk for the
 * whole store directory ({@code du -B1 -s}) by the number of points. A point's payload is 24
 * bytes (step, timestamp, value). Values: {@code --values sin} (default) logs
 * {@code Math.sin(step * 1e-3)}, a full-precision double; {@code --values decimal} logs the same
 * rounded to 4 decimals ({@code Math.round(x * 1e4) / 1e4}, the double a printed "0.8415" parses
 * to), the shape of metrics read from logs or CSV files; {@code --values float32} logs it narrowed to
 * float32 ({@code (float) x}, as a harness logs {@code loss.item()} of a float32 tensor).
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar BytesPerPoint [--points N] [--metrics M] [--values sin|decimal|float32]
 * </pre>
 */
public final class BytesPerPoint {
    private BytesPerPoint() {
    }

    public static void main(final String[] args) {
        BenchSupport.quietChronicle();
        long points = 10_000_000;
        int metrics = 100;
        String values = "sin";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--points" -> points = Long.parseLong(args[++i].replace("_", ""));
                case "--metrics" -> metrics = Integer.parseInt(args[++i].replace("_", ""));
                case "--values" -> {
                    values = args[++i];
                    if (!values.equals("sin") && !values.equals("decimal") && !values.equals("float32")) {
                        System.err.println("BytesPerPoint: --values is sin, decimal or float32, got " + values);
                        System.exit(2);
                    }
                }
                default -> {
                    System.err.println("usage: BytesPerPoint [--points N] [--metrics M] [--values sin|decimal|float32]");
                    System.exit(2);
                }
            }
        }
        final boolean decimal = values.equals("decimal");
        final boolean float32 = values.equals("float32");
        final Path dir = BenchSupport.tempDir("runlog-bench-bytes-");
        try {
            final Path storeDir = dir.resolve("store");
            final long t0 = System.nanoTime();
            try (RunlogStore store = RunlogStore.open(storeDir, new StoreOptions().ringCapacity(1 << 20));
                 Experiment e = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                final MetricHandle[] handles = new MetricHandle[metrics];
                for (int m = 0; m < metrics; m++) {
                    handles[m] = e.metric("metric-" + m);
                }
                for (long i = 0; i < points; i++) {
                    final long step = i / metrics;
                    final double x = Math.sin(step * 1e-3);
                    handles[(int) (i % metrics)].log(step, HotPathBenchmark.BASE_TS + step,
                        decimal ? Math.round(x * 1e4) / 1e4 : float32 ? (float) x : x);
                }
                if (e.pointCount() != points) {
                    throw new IllegalStateException("stored " + e.pointCount() + " points, logged " + points);
                }
            }
            final double secs = (System.nanoTime() - t0) / 1e9;
            final long allocated = BenchSupport.allocatedBytes(storeDir);
            final long apparent = BenchSupport.apparentBytes(storeDir);
            final long empty = emptyStoreBytes(dir.resolve("empty"), metrics);
            System.out.printf(Locale.ROOT, "points=%,d metrics=%d values=%s (logged and closed in %.2f s)%n", points, metrics,
                values, secs);
            System.out.printf(Locale.ROOT, "store on disk (du -B1 -s): %,d bytes; apparent size: %,d bytes; "
                + "empty store with the same metrics: %,d bytes%n", allocated, apparent, empty);
            System.out.printf(Locale.ROOT, "bytes/point: %.2f allocated (%.2f apparent); payload is 24 bytes/point%n",
                allocated / (double) points, apparent / (double) points);
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** Fixed overhead: a store with the same experiment and metric definitions, no points. */
    private static long emptyStoreBytes(final Path storeDir, final int metrics) {
        try (RunlogStore store = RunlogStore.open(storeDir);
             Experiment e = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int m = 0; m < metrics; m++) {
                e.metric("metric-" + m);
            }
        }
        return BenchSupport.allocatedBytes(storeDir);
    }
}
