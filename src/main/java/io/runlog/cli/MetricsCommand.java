package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.RunlogStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runlog metrics}: every metric of an experiment with its point count. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = {
        "Lists an experiment's metrics with their point counts (CSV: metric,count).",
        "Metrics are listed in order of definition.",
        ""
    })
public final class MetricsCommand implements Callable<Integer> {
    @ParentCommand
    RunlogCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreDirOption store;

    @Mixin
    ProjectOption project;

    @Option(names = "--experiment", paramLabel = "E", required = true, description = "Experiment key.")
    String experiment;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        try (RunlogStore runlog = store.openExisting(parent.storeOptions());
             Experiment e = runlog.project(project.name).openExperiment(experiment)) {
            out.print("metric,count\n");
            for (final MetricInfo metric : e.metrics()) {
                out.print(Csv.quote(metric.name()));
                out.print(',');
                out.print(metric.count());
                out.print('\n');
            }
        }
        out.flush();
        return 0;
    }
}
