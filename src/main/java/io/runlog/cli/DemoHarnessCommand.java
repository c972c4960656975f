package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code runlog demo-harness} (hidden): the training harness of {@code runlog demo}, run in its
 * own JVM so the demo can kill it with SIGKILL. Logs {@link DemoSignals} into a new offline
 * experiment through handles resolved once and, after every chunk of steps, acknowledges on
 * standard output: {@code ack <last step> <elapsed ns> <calls timed> <p50 ns> <p99 ns> <p99.9 ns>}.
 * A step is acknowledged only after all its points were logged, so every acknowledged point must
 * survive the kill.
 */
@Command(name = "demo-harness", hidden = true, mixinStandardHelpOptions = true,
    description = "The demo's training harness (run by 'runlog demo' in a child process).")
public final class DemoHarnessCommand extends StoreCommand implements Callable<Integer> {
    static final int CHUNK = 8_192;

    @Option(names = "--project", required = true)
    String project;

    @Option(names = "--experiment", required = true)
    String experiment;

    @Option(names = "--steps", required = true)
    long steps;

    @Option(names = "--seed", defaultValue = "20240517")
    long seed;

    @Override
    public Integer call() {
        final PrintWriter out = out();
        final Histogram latency = new Histogram(3);
        try (RunlogStore runlog = store.openOrCreate(storeOptions())) {
            final Project p = runlog.projectOrCreate(project, ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment run = p.createOfflineExperiment(experiment)) {
                final MetricHandle[] handles = new MetricHandle[DemoSignals.METRICS.length];
                for (int m = 0; m < handles.length; m++) {
                    handles[m] = run.metric(DemoSignals.METRICS[m]);
                }
                run.logParameter("seed", seed);
                run.logParameter("steps", steps);
                final DemoSignals signals = new DemoSignals(steps, seed);
                final double[][] values = new double[handles.length][CHUNK];
                long logNanos = 0;
                for (long from = 0; from < steps; from += CHUNK) {
                    final int n = (int) Math.min(CHUNK, steps - from);
                    for (int m = 0; m < handles.length; m++) {
                        signals.fill(m, from, n, values[m]);
                    }
                    final long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        final long step = from + i;
                        handles[DemoSignals.LOSS].log(step, values[DemoSignals.LOSS][i]);
                        handles[DemoSignals.LR].log(step, values[DemoSignals.LR][i]);
                        final long before = System.nanoTime();
                        handles[DemoSignals.ACCURACY].log(step, values[DemoSignals.ACCURACY][i]);
                        latency.recordValue(System.nanoTime() - before);
                        handles[DemoSignals.GRAD_NORM].log(step, values[DemoSignals.GRAD_NORM][i]);
                    }
                    logNanos += System.nanoTime() - start;
                    out.printf(Locale.ROOT, "ack %d %d %d %d %d %d%n", from + n - 1, logNanos, latency.getTotalCount(),
                        latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                        latency.getValueAtPercentile(99.9));
                    out.flush();
                }
            }
        }
        return 0;
    }
}
