package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** The sync examples of README.md and docs/sync.md, compiled and run by {@link SyncExampleTest}. */
final class SyncExample {
    private SyncExample() {
    }

    /** README: a harness that syncs while it logs; true if the server held everything at the end. */
    static boolean harness(final Path dir, final URI server, final String apiKey, final long steps,
                           final DoubleSupplier trainStep) throws InterruptedException {
        // tag::readme-sync[]
        try (RunlogStore store = RunlogStore.open(dir);
             Sync sync = Sync.start(store, new SyncOptions(server, apiKey));
             Experiment run = store.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT)
                                   .openOrCreateExperiment("resnet-01")) {
            MetricHandle loss = run.metric("loss");
            for (long step = 0; step < steps; step++) {
                loss.log(step, trainStep.getAsDouble());         // the hot path does not change
            }
            return sync.awaitSynced(Duration.ofMinutes(1));       // end of a run; sync.status(): lag, last error
        }
        // end::readme-sync[]
    }

    /** docs/sync.md: options, a throttle listener, the status. */
    static SyncStatus withStatus(final Path dir, final URI server, final String apiKey) throws InterruptedException {
        // tag::sync[]
        SyncOptions options = new SyncOptions(server, apiKey)
                .throttleListener(notice -> System.err.println("throttled: " + notice));   // once per episode
        try (RunlogStore store = RunlogStore.open(dir);
             Sync sync = Sync.start(store, options)) {
            try (Experiment run = store.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT)
                                       .openOrCreateExperiment("r1")) {
                run.logParameter("lr", 3e-4);
                run.log("loss", 0, 0.9);
            }
            sync.awaitSynced(Duration.ofMinutes(1));      // true once the server holds everything
            return sync.status();                         // lag (points, entries, bytes), last error, next attempt
        }
        // end::sync[]
    }
}
