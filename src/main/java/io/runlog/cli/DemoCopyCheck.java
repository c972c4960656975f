package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The demo's exactly-once check: the sync server's copy of an experiment, read through a read-only
 * open while the server runs, against the harness's store, stream by stream: every metric's steps,
 * timestamps and value bits, every parameter's history, the output lines, items and prompts. Equal
 * streams mean nothing was lost and nothing arrived twice (a duplicate would lengthen a stream).
 */
final class DemoCopyCheck {
    /** What was compared. */
    record Result(int metrics, long points, long otherEntries) {
    }

    private DemoCopyCheck() {
    }

    /**
     * @throws CliException naming the first stream that differs
     */
    static Result compare(final Path harnessDir, final Path serverDir, final StoreOptions options, final String project,
                          final String key) {
        try (RunlogStore harness = RunlogStore.open(harnessDir, options);
             RunlogStore server = RunlogStore.openReadOnly(serverDir, options);
             Experiment local = harness.project(project).openExperiment(key);
             Experiment copy = server.project(project).openExperiment(key)) {
            final List<String> names = local.metrics().stream().map(MetricInfo::name).toList();
            same("metric names", names, copy.metrics().stream().map(MetricInfo::name).toList());
            long points = 0;
            for (final String name : names) {
                final MetricSeries a = local.readMetric(name);
                final MetricSeries b = copy.readMetric(name);
                if (a.size() != b.size()) {
                    throw new CliException("exactly-once check: metric " + name + " holds " + a.size()
                        + " points in the harness's store and " + b.size() + " on the server");
                }
                column(name, "steps", a.steps(), b.steps(), a.size());
                column(name, "timestamps", a.timestamps(), b.timestamps(), a.size());
                column(name, "value bits", a.valueBitsArray(), b.valueBitsArray(), a.size());
                points += a.size();
            }
            long other = 0;
            same("parameter names", local.parameters().keySet(), copy.parameters().keySet());
            for (final String p : local.parameters().keySet()) {
                same("parameter " + p, local.parameterHistory(p), copy.parameterHistory(p));
                other += local.parameterHistory(p).size();
            }
            same("output lines", local.outputLines(), copy.outputLines());
            same("items", local.items(), copy.items());
            same("prompts", local.prompts(), copy.prompts());
            other += local.outputLineCount() + local.items().size() + local.promptCount();
            return new Result(names.size(), points, other);
        }
    }

    private static void column(final String metric, final String what, final long[] a, final long[] b, final int n) {
        final int at = Arrays.mismatch(a, 0, n, b, 0, n);
        if (at >= 0) {
            throw new CliException("exactly-once check: metric " + metric + " differs at point " + at + " (" + what
                + ": " + a[at] + " in the harness's store, " + b[at] + " on the server)");
        }
    }

    private static void same(final String what, final Object a, final Object b) {
        if (!Objects.equals(a, b)) {
            throw new CliException("exactly-once check: " + what + " differ: " + a + " in the harness's store, " + b
                + " on the server");
        }
    }
}
