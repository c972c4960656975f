package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code runlog demo}: a simulated training run on the hot path, measured, then read back and
 * checked bit for bit.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Logs a simulated training run, measures it and verifies what it reads back.",
        "",
        "Logs loss (decaying, noisy, one NaN), lr (cosine schedule), accuracy and",
        "grad_norm (with spikes) at every step, through MetricHandles resolved once,",
        "into a new experiment of project 'demo'. Measures the throughput of the",
        "loop and the latency of every accuracy call (HdrHistogram), closes and",
        "reopens the store, reads every metric back and checks counts, steps and",
        "values bit for bit, then prints what it measured. These are informal",
        "figures from one run; the JMH benchmarks ('runlog bench') are the reference.",
        ""
    })
public final class DemoCommand extends StoreCommand implements Callable<Integer> {
    static final long MAX_STEPS = 10_000_000;
    private static final int CHUNK = 16_384;
    private static final long SEED = 20_240_517L;

    @Option(names = "--project", paramLabel = "P", defaultValue = "demo", description = "Project (default: ${DEFAULT-VALUE}).")
    String project;

    @Option(names = "--experiment", paramLabel = "E", description = "Experiment key (default: a generated key).")
    String experiment;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200000",
        description = "Training steps, 1 to 10,000,000; each logs 4 points (default: ${DEFAULT-VALUE}).")
    long steps;

    @Override
    public Integer call() {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new ParameterException(spec.commandLine(), "--steps must be from 1 to " + MAX_STEPS + ", got " + steps);
        }
        final PrintWriter out = out();
        final int metrics = DemoSignals.METRICS.length;
        final long points = steps * metrics;
        final Histogram latency = new Histogram(3);
        final String key;
        final Path experimentDir;
        final Path storeDir;
        long logNanos = 0;

        try (RunlogStore runlog = store.openOrCreate(storeOptions())) {
            storeDir = runlog.directory();
            final Project p = runlog.projectOrCreate(project, ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment run = experiment == null ? p.createExperiment() : p.createExperiment(experiment)) {
                key = run.key();
                experimentDir = run.directory();
                out.printf(Locale.ROOT, "runlog demo: %,d steps x %d metrics into %s, project %s, experiment %s%n",
                    steps, metrics, storeDir, project, key);
                out.flush();
                final MetricHandle loss = run.metric(DemoSignals.METRICS[DemoSignals.LOSS]);
                final MetricHandle lr = run.metric(DemoSignals.METRICS[DemoSignals.LR]);
                final MetricHandle accuracy = run.metric(DemoSignals.METRICS[DemoSignals.ACCURACY]);
                final MetricHandle gradNorm = run.metric(DemoSignals.METRICS[DemoSignals.GRAD_NORM]);
                final DemoSignals signals = new DemoSignals(steps, SEED);
                final double[][] values = new double[metrics][CHUNK];
                for (long from = 0; from < steps; from += CHUNK) {
                    final int n = (int) Math.min(CHUNK, steps - from);
                    for (int m = 0; m < metrics; m++) {
                        signals.fill(m, from, n, values[m]);
                    }
                    final double[] lossValues = values[DemoSignals.LOSS];
                    final double[] lrValues = values[DemoSignals.LR];
                    final double[] accuracyValues = values[DemoSignals.ACCURACY];
                    final double[] gradValues = values[DemoSignals.GRAD_NORM];
                    final long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        final long step = from + i;
                        loss.log(step, lossValues[i]);
                        lr.log(step, lrValues[i]);
                        final long before = System.nanoTime();
                        accuracy.log(step, accuracyValues[i]);
                        final long after = System.nanoTime();
                        latency.recordValue(after - before);
                        gradNorm.log(step, gradValues[i]);
                    }
                    logNanos += System.nanoTime() - start;
                }
            }
        }
        final long timerNanos = timerOverheadNanos();
        out.printf(Locale.ROOT, "  logged     %,d points in %.1f ms: %.2f M points/s%n", points, logNanos / 1e6,
            points * 1e3 / logNanos);
        out.printf(Locale.ROOT, "             (values precomputed; the loop includes timing every accuracy call)%n");
        out.printf(Locale.ROOT, "  latency    MetricHandle.log, all %,d accuracy calls: p50 %,d ns, p99 %,d ns,"
                + " p99.9 %,d ns, max %,d ns%n", latency.getTotalCount(), latency.getValueAtPercentile(50),
            latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
        out.printf(Locale.ROOT, "             (each figure includes one System.nanoTime call, about %d ns here)%n",
            timerNanos);

        final DiskUsage.Size disk = DiskUsage.of(experimentDir);
        out.printf(Locale.ROOT, "  disk       %,d bytes %s for the experiment: %.1f bytes/point%n", disk.bytes(),
            disk.estimated() ? "(apparent size: du could not run)" : "allocated", (double) disk.bytes() / points);
        out.flush();

        final long readNanos = readBackAndVerify(storeDir, key, points);
        out.printf(Locale.ROOT, "  read back  %,d points in %.1f ms after reopening: %.2f M points/s%n", points,
            readNanos / 1e6, points * 1e3 / readNanos);
        out.printf(Locale.ROOT, "  verified   %d metrics x %,d points: counts, steps and every value bit-exact"
            + " (incl. the NaN loss 0x%016x at step %,d)%n", metrics, steps, DemoSignals.NAN_LOSS_BITS,
            new DemoSignals(steps, SEED).nanStep());
        out.flush();
        return 0;
    }

    /** Reopens the store, reads every metric; returns the nanoseconds the reads took. */
    private long readBackAndVerify(final Path storeDir, final String key, final long points) {
        long readNanos = 0;
        try (RunlogStore runlog = RunlogStore.open(storeDir, storeOptions());
             Experiment run = runlog.project(project).openExperiment(key)) {
            final List<MetricInfo> infos = run.metrics();
            if (infos.size() != DemoSignals.METRICS.length || run.pointCount() != points) {
                throw new CliException("read-back mismatch: expected " + DemoSignals.METRICS.length + " metrics and "
                    + points + " points, the store holds " + infos);
            }
            final DemoSignals signals = new DemoSignals(steps, SEED);
            final double[] expected = new double[CHUNK];
            for (int m = 0; m < DemoSignals.METRICS.length; m++) {
                final String name = DemoSignals.METRICS[m];
                final long start = System.nanoTime();
                final MetricSeries series = run.readMetric(name);
                readNanos += System.nanoTime() - start;
                if (series.size() != steps) {
                    throw new CliException("read-back mismatch: metric " + name + " has " + series.size()
                        + " points, " + steps + " were logged");
                }
                final long[] stepArray = series.steps();
                final long[] bits = series.valueBitsArray();
                for (long from = 0; from < steps; from += CHUNK) {
                    final int n = (int) Math.min(CHUNK, steps - from);
                    signals.fill(m, from, n, expected);
                    for (int i = 0; i < n; i++) {
                        final int at = (int) (from + i);
                        final long want = Double.doubleToRawLongBits(expected[i]);
                        if (stepArray[at] != from + i || bits[at] != want) {
                            throw new CliException("read-back mismatch: metric " + name + " point " + at + " is step "
                                + stepArray[at] + " value " + DoubleText.formatBits(bits[at]) + ", logged step "
                                + (from + i) + " value " + DoubleText.formatBits(want));
                        }
                    }
                }
            }
        }
        return readNanos;
    }

    /** The median cost of one System.nanoTime() call measured back to back. */
    private static long timerOverheadNanos() {
        final Histogram h = new Histogram(3);
        for (int i = 0; i < 100_000; i++) {
            final long a = System.nanoTime();
            final long b = System.nanoTime();
            h.recordValue(b - a);
        }
        return h.getValueAtPercentile(50);
    }
}
