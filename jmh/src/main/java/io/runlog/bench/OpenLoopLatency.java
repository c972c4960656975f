package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Open-loop latency of logging one point at a fixed request rate: Runlog's
 * {@code handle.log(step, timestamp, value)} and, in the same run, baseline (a): one Chronicle
 * Queue document per point (1 MiB blocks, FAST_DAILY, as Runlog's journal).
 *
 * <p>Call {@code i} of a round is due at {@code roundStart + i / rate}. The loop spins until
 * then, calls, and records {@code end - intended start} in an HdrHistogram. Measuring from the
 * intended start corrects coordinated omission: when a call stalls, every call that was due
 * meanwhile is late and that lateness is recorded (calls are then issued back to back until the
 * schedule catches up). The two subjects run in alternating rounds (default 0.5 s each), so
 * that noise from other processes falls on both alike; warm-up rounds come first and are not
 * recorded. For each subject it also prints how often the logging thread was preempted
 * (involuntary context switches, Linux), which tells a descheduled thread from a slow call.
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar OpenLoopLatency [--rate N] [--seconds S] [--warmup W] [--round R] [--ring SLOTS] [--fifo PRIO]
 * </pre>
 *
 * {@code --fifo PRIO} runs the measuring thread alone under SCHED_FIFO (see {@link #realTimePriority}),
 * as a latency-sensitive deployment pins its logging thread: the tail then shows what the call
 * and the machine's interrupts cost rather than the OS scheduler's time slices.
 */
public final class OpenLoopLatency {
    /** One call under test. */
    interface Call {
        void log(long step, long timestampMs, double value);
    }

    /** A subject under test and what was measured for it. */
    static final class Subject {
        final String name;
        final Call call;
        final Histogram histogram = new Histogram(3);
        long step;
        long preemptions;

        Subject(final String name, final Call call) {
            this.name = name;
            this.call = call;
        }
    }

    private OpenLoopLatency() {
    }

    public static void main(final String[] args) {
        BenchSupport.quietChronicle();
        long rate = 1_000_000;
        double seconds = 5;
        double warmup = 3;
        double round = 0.5;
        int ring = 1 << 22;
        int fifo = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Long.parseLong(args[++i].replace("_", ""));
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--round" -> round = Double.parseDouble(args[++i]);
                case "--ring" -> ring = Integer.parseInt(args[++i].replace("_", ""));
                case "--fifo" -> fifo = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: OpenLoopLatency [--rate calls/s] [--seconds S] [--warmup S] [--round S] [--ring slots]"
                        + " [--fifo PRIORITY]");
                    System.exit(2);
                }
            }
        }
        if (fifo > 0) {
            realTimePriority(fifo);
        }
        final long roundCalls = Math.max(1, (long) (round * rate));
        final int warmupRounds = (int) Math.ceil(warmup / round);
        final int rounds = Math.max(1, (int) Math.round(seconds / round));
        System.out.printf(Locale.ROOT, "open loop: %,d calls/s; per subject %d warm-up + %d measured rounds of %,d calls, "
            + "subjects alternating; latency from intended start (coordinated omission corrected)%n",
            rate, warmupRounds, rounds, roundCalls);
        final Path dir = BenchSupport.tempDir("runlog-bench-openloop-");
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(ring));
             Experiment e = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
             SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.resolve("queue").toFile())
                 .blockSize(StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender appender = queue.createAppender()) {
            final MetricHandle loss = e.metric("loss");
            final Subject runlog = new Subject("runlog handle.log", loss::log);
            final Subject chronicle = new Subject("chronicle doc per point", (step, ts, value) -> {
                try (DocumentContext dc = appender.writingDocument()) {
                    final Bytes<?> b = dc.wire().bytes();
                    b.writeLong(step);
                    b.writeLong(ts);
                    b.writeLong(Double.doubleToRawLongBits(value));
                }
            });
            // The machine's floor: the same loop around a call that does nothing measurable. Its
            // tail is what the OS and hypervisor add (preemption, interrupts, steal time).
            final long[] sink = new long[1];
            final Subject noop = new Subject("no-op call (floor)", (step, ts, value) -> sink[0] += step);
            final List<Subject> subjects = List.of(runlog, chronicle, noop);
            final double intervalNs = 1e9 / rate;
            final Histogram discard = new Histogram(3);
            for (int r = 0; r < warmupRounds; r++) {
                for (final Subject s : subjects) {
                    run(s, discard, roundCalls, intervalNs);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (final Subject s : subjects) {
                    final long before = involuntarySwitches();
                    run(s, s.histogram, roundCalls, intervalNs);
                    s.preemptions += before < 0 ? 0 : involuntarySwitches() - before;
                }
            }
            if (e.pointCount() != runlog.step) {
                throw new IllegalStateException("runlog stored " + e.pointCount() + " points, logged " + runlog.step);
            }
            if (sink[0] == 42) {
                System.out.println(); // keeps the no-op's work observable
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%-26s %9s %8s %8s %8s %9s %9s %9s %9s %8s %8s%n", "latency (us)", "count",
                "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max", ">100us", "preempt");
            for (final Subject s : subjects) {
                print(s);
            }
            final double p999 = us(runlog.histogram, 99.9);
            System.out.printf(Locale.ROOT, "%nrunlog p99.9 = %.3f us (goal <= 2 us: %s); chronicle/runlog: p50 %.1fx, "
                + "p99 %.1fx, p99.9 %.1fx%n", p999, p999 <= 2.0 ? "met" : "NOT met",
                ratio(chronicle, runlog, 50), ratio(chronicle, runlog, 99), ratio(chronicle, runlog, 99.9));
        } finally {
            BackgroundResourceReleaser.releasePendingResources();
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** One round: {@code calls} calls on a fresh schedule starting 1 ms from now. */
    private static void run(final Subject s, final Histogram h, final long calls, final double intervalNs) {
        final Call call = s.call;
        final long start = System.nanoTime() + 1_000_000;
        for (long i = 0; i < calls; i++) {
            final long intended = start + (long) (i * intervalNs);
            while (System.nanoTime() < intended) {
                Thread.onSpinWait();
            }
            final long step = s.step++;
            call.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
            h.recordValue(System.nanoTime() - intended);
        }
    }

    /**
     * Puts the calling (measuring) thread, and only it, under SCHED_FIFO at {@code priority}
     * with {@code chrt} (Linux, root or CAP_SYS_NICE), so that no ordinary thread of the machine
     * preempts it; the drainer and everything else stay under the normal scheduler. Warns when
     * the kernel's real-time throttling is on: it stops a FIFO thread that spins (as this loop
     * does) for 50 ms of every second, which would dominate the tail.
     */
    private static void realTimePriority(final int priority) {
        try {
            final String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
            final Process chrt = new ProcessBuilder("chrt", "-f", "-p", Integer.toString(priority), tid)
                .redirectErrorStream(true).start();
            final String out = new String(chrt.getInputStream().readAllBytes()).trim();
            if (chrt.waitFor() != 0) {
                throw new IllegalStateException("chrt -f -p " + priority + " " + tid + " failed: " + out);
            }
            final String runtime = Files.readAllLines(Path.of("/proc/sys/kernel/sched_rt_runtime_us")).get(0).trim();
            System.out.printf(Locale.ROOT, "measuring thread %s: SCHED_FIFO priority %d; kernel.sched_rt_runtime_us = %s%s%n",
                tid, priority, runtime, "-1".equals(runtime) ? ""
                    : " (WARNING: real-time throttling on; set it to -1 for this run, or the spinning thread stalls 50 ms a second)");
        } catch (final IOException e) {
            throw new IllegalStateException("cannot set SCHED_FIFO (needs Linux, chrt and root): " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting SCHED_FIFO", e);
        }
    }

    /** The calling thread's involuntary context switches (Linux), or -1 elsewhere. */
    static long involuntarySwitches() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (final IOException | RuntimeException e) {
            // not Linux: nothing to report
        }
        return -1;
    }

    private static void print(final Subject s) {
        final Histogram h = s.histogram;
        System.out.printf(Locale.ROOT, "%-26s %9d %8.3f %8.3f %8.3f %9.3f %9.3f %9.3f %9.1f %8d %8d%n", s.name,
            h.getTotalCount(), h.getMean() / 1000.0, us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), us(h, 99.99),
            h.getMaxValue() / 1000.0, h.getCountBetweenValues(100_001, Math.max(100_001, h.getMaxValue())),
            s.preemptions);
    }

    private static double us(final Histogram h, final double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double ratio(final Subject a, final Subject b, final double percentile) {
        return a.histogram.getValueAtPercentile(percentile) / (double) Math.max(1, b.histogram.getValueAtPercentile(percentile));
    }
}
