package io.runlog.bench;

import io.runlog.sample.Lttb;
import io.runlog.sample.MinMaxLttb;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The samplers on primitive arrays: LTTB and MinMaxLTTB of 10M points to 15,000, one thread, with
 * two floors in the same run: the memory-bandwidth floor (a loop summing both arrays with eight
 * independent accumulators) and the in-order floor (one running sum per array, the dependency
 * chain LTTB's exact bucket averages cannot avoid). Scores are points per microsecond
 * ({@code @OperationsPerInvocation(10M)}; x1e6 = points/s).
 */
@Fork(1)
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(SamplingBenchmark.POINTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SamplingBenchmark {
    static final int POINTS = 10_000_000;
    static final int MAX = 15_000;

    double[] x;
    double[] y;
    final int[] out = new int[MAX];
    final MinMaxLttb minMax = new MinMaxLttb();

    /** A training-loss-like curve: exponential decay, Gaussian noise, a spike every ~100k steps. */
    @Setup
    public void fill() {
        x = new double[POINTS];
        y = new double[POINTS];
        final SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < POINTS; i++) {
            x[i] = i;
            y[i] = 2.5 * Math.exp(-i / 2e6) + 0.05 * r.nextGaussian() + (r.nextInt(100_000) == 0 ? 3 : 0);
        }
    }

    @Benchmark
    @ComparedTo("sumFloor")
    public int lttb() {
        Lttb.select(x, y, 0, POINTS, MAX, out);
        return out[MAX / 2];
    }

    @Benchmark
    @ComparedTo("sumFloor")
    public int minMaxLttb() {
        minMax.select(x, y, 0, POINTS, MAX, out);
        return out[MAX / 2];
    }

    /** Memory-bandwidth floor: both arrays summed with eight independent accumulators. */
    @Benchmark
    public double sumFloor() {
        final double[] xs = x;
        final double[] ys = y;
        double x0 = 0, x1 = 0, x2 = 0, x3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        int i = 0;
        for (; i + 3 < POINTS; i += 4) {
            x0 += xs[i];
            x1 += xs[i + 1];
            x2 += xs[i + 2];
            x3 += xs[i + 3];
            y0 += ys[i];
            y1 += ys[i + 1];
            y2 += ys[i + 2];
            y3 += ys[i + 3];
        }
        for (; i < POINTS; i++) {
            x0 += xs[i];
            y0 += ys[i];
        }
        return x0 + x1 + x2 + x3 + y0 + y1 + y2 + y3;
    }

    /** In-order floor: one running sum per array, as LTTB's bucket averages are summed. */
    @Benchmark
    @ComparedTo("sumFloor")
    public double sumInOrder() {
        final double[] xs = x;
        final double[] ys = y;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < POINTS; i++) {
            sx += xs[i];
            sy += ys[i];
        }
        return sx + sy;
    }
}
