package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The follower example of docs/read-only.md, compiled and run by {@link ReadOnlyExampleTest}. */
final class ReadOnlyExample {
    private ReadOnlyExample() {
    }

    /** Follows metric loss of vision/resnet-01 while {@code training} says so; returns the points seen. */
    static long follow(final Path dir, final BooleanSupplier training, final Consumer<MetricSeries> chart) {
        // tag::follow[]
        try (RunlogStore store = RunlogStore.openReadOnly(dir);
             Experiment run = store.project("vision").openExperiment("resnet-01")) {
            long seen = 0;
            while (training.getAsBoolean()) {
                MetricSeries loss = run.readMetric("loss", seen);   // only what arrived since
                seen += loss.size();
                chart.accept(loss);                                  // the same handle sees new data on every read
            }
            return seen;
        }
        // end::follow[]
    }
}
