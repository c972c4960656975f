package io.runlog.crash;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * Child JVM of {@link KillNineCrashTest}; it is never meant to exit, only to be killed.
 *
 * <p>Opens the store and experiment, resolves {@value CrashPoints#METRICS} metric handles and, from
 * {@value CrashPoints#THREADS} threads through the same handles, logs the points of
 * {@link CrashPoints}, each thread continuing its per-metric sequences after the ledger's
 * entries. After each {@code log} call returns, the thread acknowledges the point in the
 * {@link CrashLedger}. Once every thread has logged its budget the child idles, store open.
 *
 * <p>Modes: {@code steady} opens once and logs; {@code cycle} logs short chunks and, between
 * chunks, closes and reopens the experiment (the store keeps no idle experiments, so the journal
 * really closes and the ring is drained and deleted) or the whole store, so that kills land in
 * draining, closing, recovery and reopening too.
 *
 * <p>Arguments: store directory, experiment key, ledger file, mode, ring capacity, points per
 * thread, seed, largest chunk.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final Path storeDir = Path.of(args[0]);
        final String key = args[1];
        final CrashLedger ledger = CrashLedger.map(Path.of(args[2]));
        final boolean cycle = switch (args[3]) {
            case "steady" -> false;
            case "cycle" -> true;
            default -> throw new IllegalArgumentException("mode " + args[3]);
        };
        final int ringCapacity = Integer.parseInt(args[4]);
        final long budget = Long.parseLong(args[5]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[6]));
        final int maxChunk = Integer.parseInt(args[7]);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            System.err.println("crash child: uncaught in " + t.getName());
            e.printStackTrace();
            Runtime.getRuntime().halt(3);
        });

        final StoreOptions options = new StoreOptions().ringCapacity(ringCapacity).maxIdleExperiments(0);
        final Worker[] workers = new Worker[CrashPoints.THREADS];
        for (int t = 0; t < workers.length; t++) {
            workers[t] = new Worker(t, ledger, random.split(), budget);
        }
        ledger.phase(CrashLedger.Phase.OPENING_STORE);
        RunlogStore store = RunlogStore.open(storeDir, options);
        Experiment experiment = open(store, key, workers, ledger);
        System.out.println("crash child " + ProcessHandle.current().pid() + ": " + args[3] + ", ring " + ringCapacity
            + ", recovered " + experiment.recoveredPoints() + " points");
        if (!cycle) {
            runChunk(workers, Long.MAX_VALUE, ledger);
        } else {
            while (anyRemaining(workers)) {
                runChunk(workers, 1 + random.nextInt(maxChunk), ledger);
                ledger.phase(CrashLedger.Phase.CLOSING_EXPERIMENT);
                experiment.close();
                if (random.nextBoolean()) {
                    ledger.phase(CrashLedger.Phase.CLOSING_STORE);
                    store.close();
                    ledger.phase(CrashLedger.Phase.OPENING_STORE);
                    store = RunlogStore.open(storeDir, options);
                }
                experiment = open(store, key, workers, ledger);
            }
        }
        ledger.phase(CrashLedger.Phase.IDLE);
        System.out.println("crash child: budget logged, idling until killed");
        new CountDownLatch(1).await();
    }

    private static boolean anyRemaining(final Worker[] workers) {
        for (final Worker w : workers) {
            if (w.remaining > 0) {
                return true;
            }
        }
        return false;
    }

    private static Experiment open(final RunlogStore store, final String key, final Worker[] workers,
                                   final CrashLedger ledger) {
        ledger.phase(CrashLedger.Phase.OPENING_EXPERIMENT);
        final Experiment experiment = store.projectOrCreate(CrashPoints.PROJECT, ProjectKind.EXPERIMENT_MANAGEMENT)
            .openOrCreateExperiment(key);
        final MetricHandle[] handles = new MetricHandle[CrashPoints.METRICS];
        for (int m = 0; m < handles.length; m++) {
            handles[m] = experiment.metric(CrashPoints.metricName(m));
        }
        for (final Worker w : workers) {
            w.handles = handles;
        }
        return experiment;
    }

    /** Every worker logs up to {@code points} more points, concurrently; returns when all are done. */
    private static void runChunk(final Worker[] workers, final long points, final CrashLedger ledger)
        throws InterruptedException {
        ledger.phase(CrashLedger.Phase.LOGGING);
        final Thread[] threads = new Thread[workers.length];
        for (int t = 0; t < workers.length; t++) {
            final Worker w = workers[t];
            threads[t] = new Thread(() -> w.log(points), "logger-" + t);
            threads[t].start();
        }
        for (final Thread th : threads) {
            th.join();
        }
    }

    private static final class Worker {
        private final int thread;
        private final CrashLedger ledger;
        private final SplittableRandom random;
        private final long[] lastSeq = new long[CrashPoints.METRICS];
        /** Set by the main thread before the worker's thread starts (Thread.start orders it). */
        MetricHandle[] handles;
        long remaining;

        Worker(final int thread, final CrashLedger ledger, final SplittableRandom random, final long budget) {
            this.thread = thread;
            this.ledger = ledger;
            this.random = random;
            this.remaining = budget;
            for (int m = 0; m < lastSeq.length; m++) {
                lastSeq[m] = ledger.acknowledged(thread, m);
            }
        }

        void log(final long points) {
            final long n = Math.min(points, remaining);
            final MetricHandle[] handles = this.handles;
            for (long i = 0; i < n; i++) {
                final int m = random.nextInt(CrashPoints.METRICS);
                final long seq = ++lastSeq[m];
                handles[m].log(CrashPoints.step(thread, seq), CrashPoints.timestamp(thread, m, seq),
                    Double.longBitsToDouble(CrashPoints.valueBits(thread, m, seq)));
                ledger.acknowledge(thread, m, seq);
            }
            remaining -= n;
        }
    }
}
