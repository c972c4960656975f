package io.runlog.jvm;

import io.runlog.Experiment;
import io.runlog.MissingJvmFlagsException;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/**
 * Child JVM of {@link JvmFlagsTest}: opens a store and creates experiment {@code p/run} with one
 * point, the first thing an embedder does. Prints {@code created} and exits 0, or prints
 * {@code missing <flags>} and the message and exits 3 on {@link MissingJvmFlagsException}.
 * Argument: the store directory.
 */
public final class FlagsProbeChild {
    private FlagsProbeChild() {
    }

    public static void main(final String[] args) {
        try (RunlogStore store = RunlogStore.open(Path.of(args[0]));
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
            e.log("loss", 0, 0.5);
            System.out.println("created");
        } catch (final MissingJvmFlagsException e) {
            System.out.println("missing " + String.join(" ", e.missingFlags()));
            System.out.println("message " + e.getMessage());
            System.exit(3);
        }
    }
}
