package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.ImportResult;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.archive.ArchiveReader;
import io.runlog.archive.ArchiveSummary;
import io.runlog.archive.ArchiveVisitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Archive export and import throughput on one core, with same-run floors:
 *
 * <ul>
 *   <li>{@code export}: {@code Experiment.export} of 1M points (4 ML-like metrics: a 4-decimal
 *       noisy loss, a 6-decimal learning-rate schedule, a 2-decimal gradient norm, a 3-decimal
 *       accuracy) including the fsync and rename; floor {@code exportFloorReadSeries}: reading
 *       the same series from the store, which any export must do.</li>
 *   <li>{@code importArchive}: {@code RunlogStore.importArchive} of that archive into a fresh store
 *       (background drain off: one thread), verification pass, writing pass, sync and marks;
 *       floor {@code importFloorLogPoints}: logging the same points through {@code MetricHandle}
 *       into a fresh store and syncing, which any import must do.</li>
 *   <li>{@code verifyArchive}: reading and verifying the archive alone (no store).</li>
 *   <li>{@code columnsSum}: summing the three columns of 1M points in memory: the memory floor.</li>
 * </ul>
 *
 * Scores are points per microsecond (x 10^6 = points per second).
 */
@Fork(1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(ArchiveBenchmark.POINTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ArchiveBenchmark {
    static final int POINTS = 1_000_000;
    static final int METRICS = 4;
    static final String[] NAMES = {"train/loss", "lr", "grad_norm", "accuracy"};

    /** The synthetic training curves, in memory. */
    @State(Scope.Benchmark)
    public static class Curves {
        final long[][] steps = new long[METRICS][POINTS / METRICS];
        final long[][] timestamps = new long[METRICS][POINTS / METRICS];
        final long[][] values = new long[METRICS][POINTS / METRICS];

        @Setup(Level.Trial)
        public void generate() {
            final SplittableRandom r = new SplittableRandom(42);
            final int n = POINTS / METRICS;
            long ts = HotPathBenchmark.BASE_TS;
            for (int i = 0; i < n; i++) {
                ts += 180 + r.nextInt(40);
                final double loss = 3 + 8 * Math.exp(-i / 5000.0) + r.nextGaussian() * 0.05;
                final double lr = 6e-4 * Math.min(1, i / 700.0) * (0.5 + 0.5 * Math.cos(Math.PI * i / n));
                final double v[] = {Math.round(loss * 1e4) / 1e4, Math.round(lr * 1e6) / 1e6,
                    Math.round((0.3 + Math.abs(r.nextGaussian())) * 100) / 100.0,
                    Math.round((1 - Math.exp(-i / 20000.0)) * 1000) / 1000.0};
                for (int m = 0; m < METRICS; m++) {
                    steps[m][i] = i;
                    timestamps[m][i] = ts;
                    values[m][i] = Double.doubleToRawLongBits(v[m]);
                }
            }
        }

        void logInto(final Experiment e) {
            final MetricHandle[] h = new MetricHandle[METRICS];
            for (int m = 0; m < METRICS; m++) {
                h[m] = e.metric(NAMES[m]);
            }
            for (int i = 0; i < POINTS / METRICS; i++) {
                for (int m = 0; m < METRICS; m++) {
                    h[m].log(steps[m][i], timestamps[m][i], Double.longBitsToDouble(values[m][i]));
                }
            }
        }
    }

    static StoreOptions oneThread() {
        return new StoreOptions().backgroundDrain(false).ringCapacity(1 << 16);
    }

    /** A store holding the curves in one experiment, and an archive of it. */
    @State(Scope.Benchmark)
    public static class Source {
        Path dir;
        RunlogStore store;
        Experiment experiment;
        Path archive;

        @Setup(Level.Trial)
        public void write(final Curves curves) {
            dir = BenchSupport.tempDir("runlog-bench-archive-");
            store = RunlogStore.open(dir.resolve("source"), oneThread());
            experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("curves");
            curves.logInto(experiment);
            archive = dir.resolve("curves.rla");
            final long points = experiment.export(archive).points();
            if (points != POINTS) {
                throw new IllegalStateException("exported " + points + " points, expected " + POINTS);
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    /** A fresh, empty store for every invocation. */
    @State(Scope.Thread)
    public static class Target {
        Path dir;
        RunlogStore store;

        @Setup(Level.Invocation)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-import-");
            store = RunlogStore.open(dir.resolve("target"), oneThread());
        }

        @TearDown(Level.Invocation)
        public void delete() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    @Benchmark
    @ComparedTo("exportFloorReadSeries")
    public long export(final Source s) {
        return s.experiment.export(s.archive).bytes();
    }

    @Benchmark
    public void exportFloorReadSeries(final Source s, final Blackhole bh) {
        for (final MetricInfo info : s.experiment.metrics()) {
            final MetricSeries series = s.experiment.readMetric(info.name());
            bh.consume(series);
        }
    }

    @Benchmark
    @ComparedTo("importFloorLogPoints")
    public long importArchive(final Source s, final Target t) {
        final ImportResult r = t.store.importArchive(s.archive);
        if (r.pointsAdded() != POINTS) {
            throw new IllegalStateException("imported " + r.pointsAdded() + " points");
        }
        return r.pointsAdded();
    }

    @Benchmark
    public void importFloorLogPoints(final Curves c, final Target t) {
        try (Experiment e = t.store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("curves")) {
            c.logInto(e);
            e.sync();
        }
    }

    @Benchmark
    @ComparedTo("columnsSum")
    public ArchiveSummary verifyArchive(final Source s) {
        try (ArchiveReader r = ArchiveReader.open(s.archive)) {
            return r.read(new ArchiveVisitor() {
            });
        }
    }

    @Benchmark
    public long columnsSum(final Curves c) {
        long sum = 0;
        for (int m = 0; m < METRICS; m++) {
            final long[] st = c.steps[m];
            final long[] ts = c.timestamps[m];
            final long[] vs = c.values[m];
            for (int i = 0; i < st.length; i++) {
                sum += st[i] + ts[i] + vs[i];
            }
        }
        return sum;
    }
}
