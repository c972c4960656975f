package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import io.runlog.chart.LineChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog plot --metric M -o FILE.png}: the raw series in the background, the sampled one on top. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = {
        "Draws a metric to a PNG chart.",
        "",
        "The raw series is drawn in a light colour behind, the",
        "sampled series (LTTB to at most 15000 points unless --max says otherwise) on",
        "top, axes with ticks and labels, and the positions of NaN and infinite values",
        "marked under the plot. Uses the JDK's headless imaging; needs no display.",
        "FILE is written like 'export -o': under a temporary name and renamed (a",
        "symbolic link's target likewise; a FIFO or device directly); its directory",
        "must exist. The summary goes to standard error.",
        ""
    })
public final class PlotCommand extends ExperimentCommand implements Callable<Integer> {
    @Option(names = "--metric", paramLabel = "M", required = true, description = "Metric name.")
    String metric;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The PNG file to write.")
    Path output;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "1200", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "600", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @Mixin
    SampleOptions sampling;

    @Override
    public Integer call() {
        refuseOutputInsideStore(output);
        if (width < 200 || width > 8000 || height < 150 || height > 8000) {
            throw new ParameterException(spec.commandLine(), "--width must be 200 to 8000 and --height 150 to 8000, got "
                + width + "x" + height);
        }
        final SampleQuery given = sampling.query(spec, storeOptions().sampleMaxPoints());
        final SampleQuery query = given != null ? given : SampleQuery.ofMax(storeOptions().sampleMaxPoints());
        final MetricSeries raw;
        final MetricSeries sampled;
        final String title;
        try (RunlogStore runlog = openForReading();
             Experiment e = openExperiment(runlog)) {
            raw = e.readMetric(metric);
            sampled = e.sampledMetric(metric, query);
            title = e.projectName() + "/" + e.key() + ": " + metric;
        }
        final boolean byStep = query.axis() == SampleQuery.Axis.STEP;
        final double[][] rawXy = columns(raw, byStep, query.from(), query.to());
        final double[][] sampledXy = columns(sampled, byStep, Long.MIN_VALUE, Long.MAX_VALUE);
        final LineChart chart = new LineChart(width, height)
            .title(String.format(Locale.ROOT, "%s (%,d points, %,d shown by %s)", title, rawXy[0].length,
                sampledXy[0].length, query.algorithm() == SampleQuery.Algorithm.LTTB ? "LTTB" : "MinMaxLTTB"))
            .axes(byStep ? "step" : "timestamp (UTC)", metric)
            .timeAxis(!byStep)
            .legend("raw", query.algorithm() == SampleQuery.Algorithm.LTTB ? "LTTB" : "MinMaxLTTB")
            .raw(rawXy[0], rawXy[1])
            .sampled(sampledXy[0], sampledXy[1]);
        chart.writePng(output);
        err().printf(Locale.ROOT, "wrote %s: %,d raw points, %,d sampled%n", output, rawXy[0].length,
            sampledXy[0].length);
        err().flush();
        return 0;
    }

    /** x and y as doubles, only the points with x in [from, to]. */
    static double[][] columns(final MetricSeries s, final boolean byStep, final long from, final long to) {
        final long[] xs = byStep ? s.steps() : s.timestamps();
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (xs[i] >= from && xs[i] <= to) {
                n++;
            }
        }
        final double[] x = new double[n];
        final double[] y = new double[n];
        int at = 0;
        for (int i = 0; i < s.size(); i++) {
            if (xs[i] >= from && xs[i] <= to) {
                x[at] = xs[i];
                y[at] = s.value(i);
                at++;
            }
        }
        return new double[][]{x, y};
    }
}
