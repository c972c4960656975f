package io.runlog.bench;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import io.runlog.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * End to end: a sampled read (LTTB to 15,000) of a 1M-point metric from the store, first (cold:
 * the sample cache emptied before each call), repeated (cached: nothing arrived) and after 1,000
 * new points arrived (logged and drained before the call), with the raw read of the same metric as
 * the baseline in the same run. Each call is timed alone (SingleShotTime, ms), except the cached
 * one (AverageTime, us); the metric grows by 1,000 points per iteration of
 * {@code afterThousandNew} only.
 */
@Fork(1)
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 15)
@Measurement(iterations = 40)
public class SampledReadBenchmark {
    static final int POINTS = 1_000_000;

    Path dir;
    RunlogStore store;
    Experiment experiment;
    MetricHandle loss;
    long step;
    SplittableRandom random;
    final SampleQuery query = SampleQuery.ofMax(15_000);

    @Setup(Level.Trial)
    public void write() {
        dir = BenchSupport.tempDir("runlog-bench-sample-");
        store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(1 << 20));
        experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
        loss = experiment.metric("loss");
        random = new SplittableRandom(7);
        for (step = 0; step < POINTS; step++) {
            logNext();
        }
        final MetricSeries s = experiment.sampledMetric("loss", query);
        if (s.size() != 15_000 || s.step(0) != 0 || s.step(14_999) != POINTS - 1) {
            throw new IllegalStateException("sampled " + s + " wrongly");
        }
    }

    private void logNext() {
        loss.log(step, HotPathBenchmark.BASE_TS + step, 2.5 * Math.exp(-step / 2e5) + 0.05 * random.nextGaussian());
    }

    @TearDown(Level.Trial)
    public void close() {
        BenchSupport.closeAndDelete(store, dir);
    }

    /** Before each iteration of {@link #cold}: nothing cached. */
    @Setup(Level.Iteration)
    public void prepare(final org.openjdk.jmh.infra.BenchmarkParams params) {
        if (params.getBenchmark().endsWith("cold")) {
            StoreAccess.sampleCache(store).clear();
        } else if (params.getBenchmark().endsWith("afterThousandNew")) {
            for (int i = 0; i < 1_000; i++, step++) {
                logNext();
            }
            experiment.pointCount(); // drains the ring: the new points are in the journal
        } else {
            experiment.sampledMetric("loss", query); // warm
        }
    }

    /** First sampled read: reads 1M points, sorts (checks order), runs LTTB, caches. */
    @Benchmark
    @ComparedTo("rawRead")
    public MetricSeries cold() {
        return experiment.sampledMetric("loss", query);
    }

    /**
     * The same read again, nothing new: the cached result. Microseconds, so timed over many calls
     * (AverageTime, us/op) rather than one.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public MetricSeries cached() {
        return experiment.sampledMetric("loss", query);
    }

    /** After 1,000 new points: reads only them, appends to the sorted columns, runs LTTB again. */
    @Benchmark
    @ComparedTo("rawRead")
    public MetricSeries afterThousandNew() {
        return experiment.sampledMetric("loss", query);
    }

    /** Baseline: the raw read of the whole metric. */
    @Benchmark
    public MetricSeries rawRead() {
        return experiment.readMetric("loss");
    }
}
