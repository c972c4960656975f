package io.runlog.lock;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Child JVM of {@link DeadProcessLockTest}: opens a store, logs {@code points} points of metric
 * {@code loss} (step i, value i / 4) into experiment {@code held/run}, then creates the marker file
 * and holds the store open until it is killed.
 *
 * <p>Arguments: store directory, marker file, number of points.
 */
public final class StoreHolderChild {
    static final String PROJECT = "held";
    static final String KEY = "run";
    static final String METRIC = "loss";

    private StoreHolderChild() {
    }

    static double value(final long step) {
        return step / 4.0;
    }

    public static void main(final String[] args) throws IOException, InterruptedException {
        final RunlogStore store = RunlogStore.open(Path.of(args[0]));
        final Experiment e = store.projectOrCreate(PROJECT, ProjectKind.EXPERIMENT_MANAGEMENT)
            .openOrCreateExperiment(KEY);
        final MetricHandle loss = e.metric(METRIC);
        final long points = Long.parseLong(args[2]);
        for (long i = 0; i < points; i++) {
            loss.log(i, value(i));
        }
        Files.createFile(Path.of(args[1]));
        System.out.println("store holder " + ProcessHandle.current().pid() + ": holding " + args[0]);
        new CountDownLatch(1).await();
    }
}
