package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Store-scale costs: reopening a store that holds 10M points, and reading one metric of 1M points
 * back, with a memory-bandwidth floor in the same run.
 */
@Fork(1)
public class StoreScaleBenchmark {
    static final int READ_POINTS = 1_000_000;

    /** A store with one experiment of {@code points} points spread round-robin over {@code metrics} metrics. */
    @State(Scope.Benchmark)
    public static class TenMillionPoints {
        @Param("10000000")
        public int points;
        @Param("100")
        public int metrics;

        Path dir;
        Path storeDir;

        @Setup(Level.Trial)
        public void write() {
            dir = BenchSupport.tempDir("runlog-bench-reopen-");
            storeDir = dir.resolve("store");
            try (RunlogStore store = RunlogStore.open(storeDir, new StoreOptions().ringCapacity(1 << 20));
                 Experiment e = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                final MetricHandle[] handles = new MetricHandle[metrics];
                for (int m = 0; m < metrics; m++) {
                    handles[m] = e.metric("metric-" + m);
                }
                for (int i = 0; i < points; i++) {
                    final long step = i / metrics;
                    handles[i % metrics].log(step, HotPathBenchmark.BASE_TS + step, step * 1e-3);
                }
                if (e.pointCount() != points) {
                    throw new IllegalStateException("stored " + e.pointCount() + " points, logged " + points);
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /**
     * One open experiment: metric "m" with 1M points, each followed by one point of each of
     * {@code others} metrics. "m" holds {@code i * 1e-3}, of which 14% are an ulp away from the
     * 3-decimal double, so its runs are XOR-coded; the others hold {@code -i / 1000.0}, exactly
     * the 3-decimal doubles, so their runs are DECIMAL (journal format 3).
     */
    @State(Scope.Benchmark)
    public static class OneMetricOfMany {
        @Param("3")
        public int others;

        Path dir;
        RunlogStore store;
        Experiment experiment;

        @Setup(Level.Trial)
        public void write() {
            dir = BenchSupport.tempDir("runlog-bench-read-");
            store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(1 << 20));
            experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
            final MetricHandle m = experiment.metric("m");
            final MetricHandle[] other = new MetricHandle[others];
            for (int k = 0; k < others; k++) {
                other[k] = experiment.metric("other-" + k);
            }
            for (int i = 0; i < READ_POINTS; i++) {
                m.log(i, HotPathBenchmark.BASE_TS + i, i * 1e-3);
                for (final MetricHandle h : other) {
                    h.log(i, HotPathBenchmark.BASE_TS + i, -i / 1000.0);
                }
            }
            final MetricSeries s = experiment.readMetric("m");
            if (s.size() != READ_POINTS || s.step(READ_POINTS - 1) != READ_POINTS - 1
                || s.value(12345) != 12345 * 1e-3) {
                throw new IllegalStateException("read back " + s + " wrongly");
            }
            if (others > 0) {
                final MetricSeries d = experiment.readMetric("other-0");
                if (d.size() != READ_POINTS || d.value(12345) != -12345 / 1000.0) {
                    throw new IllegalStateException("read back " + d + " wrongly");
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    /** Source columns for the memory floor: what readMetric copies, already in three long[]. */
    @State(Scope.Thread)
    public static class Columns {
        final long[] steps = new long[READ_POINTS];
        final long[] timestamps = new long[READ_POINTS];
        final long[] values = new long[READ_POINTS];

        @Setup(Level.Trial)
        public void fill() {
            for (int i = 0; i < READ_POINTS; i++) {
                steps[i] = i;
                timestamps[i] = HotPathBenchmark.BASE_TS + i;
                values[i] = Double.doubleToRawLongBits(i * 1e-3);
            }
        }
    }

    /** (i) Open the store and the 10M-point experiment, list its metrics with counts, close. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    public long reopen10M(final TenMillionPoints s) {
        try (RunlogStore store = RunlogStore.open(s.storeDir);
             Experiment e = store.project("bench").openExperiment("e")) {
            final List<MetricInfo> infos = e.metrics();
            long total = 0;
            for (final MetricInfo info : infos) {
                total += info.count();
            }
            if (total != s.points) {
                throw new IllegalStateException("reopened with " + total + " points, expected " + s.points);
            }
            return total;
        }
    }

    /** (ii) readMetric of 1M points; the score is points per microsecond (x1e6 = points/s). */
    @ComparedTo("copyFloor1M")
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(READ_POINTS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public MetricSeries readMetric1M(final OneMetricOfMany s) {
        return s.experiment.readMetric("m");
    }

    /**
     * (ii') readMetric of 1M points whose runs are DECIMAL (a varint and a division per value
     * instead of an XOR), same shape as (ii).
     */
    @ComparedTo("readMetric1M")
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(READ_POINTS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public MetricSeries readDecimalMetric1M(final OneMetricOfMany s) {
        return s.experiment.readMetric("other-0");
    }

    /** Floor for (ii): a plain loop copying 1M longs x3 into three new arrays, as readMetric must. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(READ_POINTS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void copyFloor1M(final Columns c, final Blackhole bh) {
        final long[] steps = new long[READ_POINTS];
        final long[] timestamps = new long[READ_POINTS];
        final long[] values = new long[READ_POINTS];
        for (int i = 0; i < READ_POINTS; i++) {
            steps[i] = c.steps[i];
            timestamps[i] = c.timestamps[i];
            values[i] = c.values[i];
        }
        bh.consume(steps);
        bh.consume(timestamps);
        bh.consume(values);
    }
}
