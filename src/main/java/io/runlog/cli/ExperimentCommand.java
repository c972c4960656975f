package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.RunlogStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A read command about one existing experiment: {@code --dir}, {@code --project}, {@code --experiment}. */
abstract class ExperimentCommand extends StoreCommand {
    @Mixin
    ProjectOption project;

    @Option(names = "--experiment", paramLabel = "E", required = true, description = "Experiment key.")
    String experiment;

    /** Opens the experiment named by the options in an existing store. */
    Experiment openExperiment(final RunlogStore runlog) {
        return runlog.project(project.name).openExperiment(experiment);
    }
}
