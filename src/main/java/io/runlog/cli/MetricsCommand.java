package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.RunlogStore;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runlog metrics}: every metric of an experiment with its point count. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = {
        "Lists an experiment's metrics and point counts (CSV: metric,count).",
        "Metrics are listed in order of definition.",
        ""
    })
public final class MetricsCommand extends ExperimentCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        final PrintWriter out = out();
        try (RunlogStore runlog = openForReading();
             Experiment e = openExperiment(runlog)) {
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
