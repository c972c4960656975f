package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code runlog demo-harness} (hidden): the training harness of {@code runlog demo}, run in its
 * own JVM so the demo can kill it with SIGKILL. Logs {@link DemoSignals} into a new offline
 * experiment through handles resolved once and, after every chunk of steps, acknowledges on
 * standard output: {@code ack <last step> <elapsed ns> <calls timed> <p50 ns> <p99 ns> <p99.9 ns>}.
 * A step is acknowledged only after all its points were logged, so every acknowledged point must
 * survive the kill.
 *
 * <p>With {@code --server} it also syncs live ({@link Sync}, the harness's own client, with a short
 * backoff) and reports the sync every 50 ms: {@code sync <points acknowledged by the server>
 * <requests sent> <segments acknowledged>}. {@code --pace-millis} pauses that long before each
 * chunk (a training step's compute) until the step {@code --hold-at}; from there it reads a line on
 * standard input before each chunk: {@code step} logs one more chunk, {@code go} (the demo sends it
 * once the server's outage is over) logs the rest without pauses.
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

    @Option(names = "--server")
    URI server;

    @Option(names = "--api-key-file")
    Path apiKeyFile;

    @Option(names = "--chunk", defaultValue = "8192")
    int chunk;

    @Option(names = "--pace-millis", defaultValue = "0")
    long paceMillis;

    @Option(names = "--hold-at", defaultValue = "-1")
    long holdAt;

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = out();
        final Histogram latency = new Histogram(3);
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (RunlogStore runlog = store.openOrCreate(storeOptions());
             Sync sync = server == null ? null : Sync.start(runlog, new SyncOptions(server,
                 Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip())
                 .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).pollInterval(Duration.ofMillis(50)))) {
            if (sync != null) {
                final Thread reporter = new Thread(() -> report(sync, out), "demo-harness-sync-report");
                reporter.setDaemon(true);
                reporter.start();
            }
            final Project p = runlog.projectOrCreate(project, ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment run = p.createOfflineExperiment(experiment)) {
                final MetricHandle[] handles = new MetricHandle[DemoSignals.METRICS.length];
                for (int m = 0; m < handles.length; m++) {
                    handles[m] = run.metric(DemoSignals.METRICS[m]);
                }
                run.logParameter("seed", seed);
                run.logParameter("steps", steps);
                final DemoSignals signals = new DemoSignals(steps, seed);
                final int CHUNK = Math.max(1, Math.min(DemoHarnessCommand.CHUNK, chunk));
                final double[][] values = new double[handles.length][CHUNK];
                long logNanos = 0;
                boolean released = holdAt < 0;
                for (long from = 0; from < steps; from += CHUNK) {
                    final int n = (int) Math.min(CHUNK, steps - from);
                    if (!released && from >= holdAt) {
                        final String line = in.readLine(); // "step": one more chunk, then wait again; "go": on to the end
                        if (line == null) {
                            return 1; // the demo is gone
                        }
                        released = line.strip().equals("go");
                    }
                    if (!released && paceMillis > 0) {
                        LockSupport.parkNanos(paceMillis * 1_000_000L); // the training step's compute
                    }
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
                    synchronized (out) {
                        out.printf(Locale.ROOT, "ack %d %d %d %d %d %d%n", from + n - 1, logNanos, latency.getTotalCount(),
                            latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                            latency.getValueAtPercentile(99.9));
                        out.flush();
                    }
                }
            }
        }
        return 0;
    }

    /** Every 50 ms: {@code sync <acknowledged points> <attempts> <segments>}, until the process ends. */
    private static void report(final Sync sync, final PrintWriter out) {
        while (true) {
            final SyncStatus s = sync.status();
            synchronized (out) {
                out.printf(Locale.ROOT, "sync %d %d %d%n", s.acknowledgedPoints(), s.attempts(), s.segmentsAcknowledged());
                out.flush();
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }
}
