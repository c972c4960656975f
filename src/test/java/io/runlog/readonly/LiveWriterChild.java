package io.runlog.readonly;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.crash.CrashLedger;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM of {@link LiveReaderTest}: a training harness that holds a store open and keeps
 * logging. It logs {@code ready} points of metric {@code loss} and one output line, syncs, sets
 * the ledger's phase to LOGGING, then logs forever, 100 points a millisecond (paced by parking,
 * so the journal grows by about 1 MB/s) and one output line every 1,000 points. After each call
 * returns it publishes, in the {@link CrashLedger}, how many points (thread 0, metric 0) and
 * lines (thread 0, metric 1) were acknowledged, so that the parent knows what must survive a
 * {@code kill -9}.
 *
 * <p>In mode {@code pending} the store runs without the background drain: after the synced
 * points it logs {@link #PENDING} more, which stay in the ring (nothing reads), sets LOGGING and
 * then only waits: a writer killed then leaves points that a read-write open must recover
 * (write) first.
 *
 * <p>Both modes export the experiment once after the sync (to {@code <store>-first.rla}), which
 * gives it its archive identity.
 *
 * <p>Arguments: store directory, ledger file, ready points, mode ({@code live} or {@code pending}).
 */
public final class LiveWriterChild {
    public static final String PROJECT = "live";
    public static final String KEY = "run";
    public static final String METRIC = "loss";
    public static final long T0 = 1_700_000_000_000L;
    /** Points the "pending" mode leaves in the ring. */
    public static final int PENDING = 1_000;

    private LiveWriterChild() {
    }

    public static double value(final long step) {
        return Math.sin(step * 0.001) + step;
    }

    public static String line(final long n) {
        return "line " + n;
    }

    public static void main(final String[] args) throws InterruptedException {
        final CrashLedger ledger = CrashLedger.map(Path.of(args[1]));
        final long ready = Long.parseLong(args[2]);
        final boolean pending = args.length > 3 && args[3].equals("pending");
        final Path dir = Path.of(args[0]);
        final RunlogStore store = RunlogStore.open(dir, new StoreOptions().backgroundDrain(!pending));
        final Experiment e = store.projectOrCreate(PROJECT, ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment(KEY);
        final MetricHandle loss = e.metric(METRIC);
        long step = 0;
        long lines = 0;
        for (; step < ready; step++) {
            loss.log(step, T0 + step, value(step));
            ledger.acknowledge(0, 0, step + 1);
        }
        e.logOutput(OutputChannel.STDOUT, line(lines++));
        ledger.acknowledge(0, 1, lines);
        e.sync();
        e.export(dir.resolveSibling(dir.getFileName() + "-first.rla"));
        if (pending) {
            for (final long end = step + PENDING; step < end; step++) {
                loss.log(step, T0 + step, value(step));
                ledger.acknowledge(0, 0, step + 1);
            }
            System.out.println("live writer " + ProcessHandle.current().pid() + ": " + PENDING + " points pending in the ring");
            ledger.phase(CrashLedger.Phase.LOGGING);
            new CountDownLatch(1).await();
        }
        System.out.println("live writer " + ProcessHandle.current().pid() + ": " + ready + " points synced, logging on");
        ledger.phase(CrashLedger.Phase.LOGGING);
        while (true) {
            for (int k = 0; k < 100; k++, step++) {
                loss.log(step, T0 + step, value(step));
                ledger.acknowledge(0, 0, step + 1);
                if ((step + 1) % 1000 == 0) {
                    e.logOutput(OutputChannel.STDOUT, line(lines++));
                    ledger.acknowledge(0, 1, lines);
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
