package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM of {@link FollowerSourceIdTest}: a harness that creates experiment {@code p/e} the
 * ordinary way (no export, no {@code sourceId()}, no sync of its own), logs {@code N} points,
 * syncs them to disk, prints {@code logged N}, then holds the store open until it is killed.
 * {@code FollowedWriterChild STORE N}.
 */
public final class FollowedWriterChild {
    private FollowedWriterChild() {
    }

    public static void main(final String[] args) {
        final long n = Long.parseLong(args[1]);
        final RunlogStore store = RunlogStore.open(Path.of(args[0]));
        final Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e");
        final MetricHandle loss = e.metric("loss");
        for (long i = 0; i < n; i++) {
            loss.log(i, 1.0 / (1 + i));
        }
        e.logParameter("lr", 0.25);
        e.sync();
        System.out.println("logged " + n);
        System.out.flush();
        while (true) {
            LockSupport.parkNanos(1_000_000_000L);
        }
    }
}
