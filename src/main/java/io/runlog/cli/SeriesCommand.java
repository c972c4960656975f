package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runlog series --metric M [--max N ...]}: a metric's full series, or sampled, bit-exact. */
@Command(name = "series", mixinStandardHelpOptions = true,
    description = {
        "Prints a metric's series, bit-exact (CSV).",
        "",
        "Columns: metric,step,timestamp,value.",
        "",
        "Points come in arrival order; timestamp is epoch milliseconds. Values parse",
        "back to the same bits: finite values and infinities as Java prints them",
        "(0.1, -0.0, 4.9E-324, Infinity, -Infinity), the canonical NaN as NaN, any",
        "other NaN as NaN:0x<16 hex digits of its bits>. The output is a file",
        "'runlog ingest' reads back as it is (same metric, steps, timestamps, bits).",
        "",
        "With --max, --algo, --x, --from or --to the metric is sampled (LTTB, at most",
        "N points, default 15000) and the points come in x order, same CSV; non-finite",
        "values are kept as the first and last point of each run. See docs/sampling.md.",
        ""
    })
public final class SeriesCommand extends ExperimentCommand implements Callable<Integer> {
    @Option(names = "--metric", paramLabel = "M", required = true, description = "Metric name.")
    String metric;

    @Mixin
    SampleOptions sampling;

    @Override
    public Integer call() {
        final PrintWriter out = out();
        final SampleQuery query = sampling.query(spec, storeOptions().sampleMaxPoints());
        final MetricSeries series;
        try (RunlogStore runlog = openForReading();
             Experiment e = openExperiment(runlog)) {
            series = query == null ? e.readMetric(metric) : e.sampledMetric(metric, query);
        }
        final StringBuilder row = new StringBuilder(64);
        final String name = Csv.quote(metric);
        out.print("metric,step,timestamp,value\n");
        for (int i = 0; i < series.size(); i++) {
            row.setLength(0);
            row.append(name).append(',').append(series.step(i)).append(',').append(series.timestamp(i)).append(',')
                .append(DoubleText.formatBits(series.valueBits(i))).append('\n');
            out.append(row);
            if ((i & 0xffff) == 0xffff && out.checkError()) {
                break; // the reader went away (a closed pipe): stop writing
            }
        }
        out.flush();
        return 0;
    }
}
