package io.runlog.bench;

import io.runlog.limit.BaselineRollingWindow;
import io.runlog.limit.RollingWindow;
import io.runlog.limit.WindowShape;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The gate's rolling window, today's design (40 sub-windows, {@link RollingWindow}) against the
 * one before it (6 sub-windows, {@link BaselineRollingWindow}, a verbatim copy), in one run:
 *
 * <ul>
 *   <li>{@code admit*}: every call admitted (a limit far above the traffic), the clock moving
 *       1 ms per call, so the window moves to a new sub-window every 1,500 calls (today) or
 *       10,000 (before): the one-CAS admission plus the amortised move.</li>
 *   <li>{@code refuse*}: an exhausted window asked again in the same millisecond (the refusal
 *       memo's case, a throttled key hammering).</li>
 *   <li>{@code refuseNewMillisecond*}: an exhausted window asked once per millisecond (before:
 *       every refusal scans the K + 1 closed sub-windows for its retry time; today the memo,
 *       keyed by the window's word, answers all but the first of each sub-window).</li>
 *   <li>{@code moving5x*}: one unit per call, the clock moving 1 ms per call against a limit of
 *       12,000 a minute: 5x the limit, a mix of admissions, refusals and moves.</li>
 * </ul>
 * Memory per window and per key: {@code WindowMemory} (same jar).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class WindowDesignBenchmark {
    static final long MINUTE = 60_000;
    static final long ORIGIN = 1_700_000_000_000L;

    /** The two designs of the gate's minute window for one limit, each with its own simulated clock. */
    @State(Scope.Thread)
    public static class Windows {
        RollingWindow today;
        BaselineRollingWindow baseline;
        long todayNow;
        long baselineNow;

        void make(final long limit) {
            today = new RollingWindow(new WindowShape(limit, MINUTE, 40, ORIGIN));
            baseline = new BaselineRollingWindow(new WindowShape(limit, MINUTE, 6, ORIGIN));
            todayNow = ORIGIN;
            baselineNow = ORIGIN;
        }
    }

    @State(Scope.Thread)
    public static class Admitting extends Windows {
        @Setup(Level.Iteration)
        public void setup() {
            make(RollingWindow.MAX_LIMIT);
        }
    }

    @State(Scope.Thread)
    public static class Exhausted extends Windows {
        @Setup(Level.Iteration)
        public void setup() {
            make(12_000);
            today.tryAcquire(ORIGIN, 12_000);
            baseline.tryAcquire(ORIGIN, 12_000);
        }
    }

    @State(Scope.Thread)
    public static class FiveTimes extends Windows {
        @Setup(Level.Iteration)
        public void setup() {
            make(12_000);
        }
    }

    @Benchmark
    public long admitToday(final Admitting s) {
        return s.today.tryAcquire(s.todayNow++, 1);
    }

    @Benchmark
    public long admitBaseline(final Admitting s) {
        return s.baseline.tryAcquire(s.baselineNow++, 1);
    }

    @Benchmark
    public long refuseToday(final Exhausted s) {
        return s.today.tryAcquire(ORIGIN + 1, 1);
    }

    @Benchmark
    public long refuseBaseline(final Exhausted s) {
        return s.baseline.tryAcquire(ORIGIN + 1, 1);
    }

    /**
     * The clock moves 1 ms per call through an exhausted window; 59 s on (before anything leaves
     * it) the window is made and filled anew, so the clock never goes back (a stale reading takes
     * another path) and every call is a refusal.
     */
    @Benchmark
    public long refuseNewMillisecondToday(final Exhausted s) {
        if (++s.todayNow >= ORIGIN + 59_000) {
            s.today = new RollingWindow(new WindowShape(12_000, MINUTE, 40, ORIGIN));
            s.today.tryAcquire(ORIGIN, 12_000);
            s.todayNow = ORIGIN + 1;
        }
        return s.today.tryAcquire(s.todayNow, 1);
    }

    @Benchmark
    public long refuseNewMillisecondBaseline(final Exhausted s) {
        if (++s.baselineNow >= ORIGIN + 59_000) {
            s.baseline = new BaselineRollingWindow(new WindowShape(12_000, MINUTE, 6, ORIGIN));
            s.baseline.tryAcquire(ORIGIN, 12_000);
            s.baselineNow = ORIGIN + 1;
        }
        return s.baseline.tryAcquire(s.baselineNow, 1);
    }

    @Benchmark
    public long moving5xToday(final FiveTimes s) {
        return s.today.tryAcquire(s.todayNow++, 1);
    }

    @Benchmark
    public long moving5xBaseline(final FiveTimes s) {
        return s.baseline.tryAcquire(s.baselineNow++, 1);
    }
}
