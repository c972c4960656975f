package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.Parameter;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The README's tracking-server example, compiled and run by {@link ExamplesTest}. */
final class ServerExample {
    private ServerExample() {
    }

    static void server(final Path storeDir, final String experimentKey, final long step, final double value,
                       final String prompt, final String response, final byte[] pngBytes) {
        // tag::server[]
        RunlogStore store = RunlogStore.open(storeDir,
                new StoreOptions().maxIdleExperiments(64));      // LRU of experiments kept open
        Project project = store.projectOrCreate("team-a", ProjectKind.LLM);
        try (Experiment e = project.openOrCreateExperiment(experimentKey)) {
            e.log("loss", step, value);
            e.logPrompt(prompt, response, Map.of("model", "m-7b"));
            e.logItem(ItemType.IMAGE, "confusion.png", Map.of("step", "100"), pngBytes);
        }
        try (Experiment e = project.openExperiment(experimentKey)) {
            List<MetricInfo> metrics = e.metrics();               // names and point counts
            MetricSeries loss = e.readMetric("loss");             // full series, arrival order, bit-exact
            Map<String, Parameter> params = e.parameters();       // latest values; parameterHistory(name)
        }
        // end::server[]
        store.close();
    }
}
