package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.Project;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/** Everything a small store holds, as text: equal snapshots mean an unchanged store. */
final class StoreSnapshot {
    private StoreSnapshot() {
    }

    static String of(final Path dir) {
        final StringBuilder sb = new StringBuilder();
        try (RunlogStore store = RunlogStore.open(dir, CliRunner.options())) {
            for (final Project p : store.projects()) {
                sb.append("project ").append(p.name()).append(' ').append(p.kind()).append('\n');
                for (final String key : p.experimentKeys()) {
                    sb.append(" experiment ").append(key).append('\n');
                    try (Experiment e = p.openExperiment(key)) {
                        for (final MetricInfo m : e.metrics()) {
                            sb.append("  metric ").append(m.name()).append(' ').append(m.count()).append('\n');
                            final MetricSeries s = e.readMetric(m.name());
                            for (int i = 0; i < s.size(); i++) {
                                sb.append("   ").append(s.step(i)).append(',').append(s.timestamp(i)).append(',')
                                    .append(Long.toHexString(s.valueBits(i))).append('\n');
                            }
                        }
                    }
                }
            }
        }
        return sb.toString();
    }
}
