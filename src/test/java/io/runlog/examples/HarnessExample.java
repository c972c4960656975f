package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/** The README's training-harness example, compiled and run by {@link ExamplesTest}. */
final class HarnessExample {
    private static double loss = 2.5;

    private HarnessExample() {
    }

    static double trainStep() {
        loss *= 0.999;
        return loss;
    }

    static void harness(final Path dataDir, final long steps) {
        // tag::harness[]
        try (RunlogStore store = RunlogStore.open(dataDir);
             Experiment run = store.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT)
                                   .openOrCreateOfflineExperiment("resnet50-seed1")) {   // a rerun reopens it
            run.logParameter("lr", 3e-4);
            MetricHandle loss = run.metric("loss");      // resolve once ...
            for (long step = 0; step < steps; step++) {
                loss.log(step, trainStep());              // ... log on the hot path (store clock timestamp)
            }
            run.logOutput(OutputChannel.STDOUT, "done");
            run.sync();                                   // optional: durable against an OS crash too
        }
        // end::harness[]
    }
}
