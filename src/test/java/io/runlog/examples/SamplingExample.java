package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.SampleQuery;

import java.util.List;

/** The sampling examples of the README and docs/sampling.md, compiled and run by {@link SamplingExamplesTest}. */
final class SamplingExample {
    private SamplingExample() {
    }

    /** What the README example read: chart, zoom. */
    static List<MetricSeries> readme(final Experiment run) {
        // tag::readme-sampling[]
        MetricSeries chart = run.sampledMetric("loss");
        MetricSeries zoom  = run.sampledMetric("loss", SampleQuery.ofMax(2_000).withRange(10_000, 20_000));
        // end::readme-sampling[]
        return List.of(chart, zoom);
    }

    /** What the docs/sampling.md example read: chart, zoom, wall, raw. */
    static List<MetricSeries> api(final Experiment run) {
        // tag::sampling-api[]
        MetricSeries chart = run.sampledMetric("loss");                     // <= 15,000 points, LTTB on (step, value)

        MetricSeries zoom = run.sampledMetric("loss", SampleQuery.ofMax(2_000)
                .withRange(10_000, 20_000));                                 // steps 10,000..20,000, own maximum

        MetricSeries wall = run.sampledMetric("loss", SampleQuery.defaults()
                .withAxis(SampleQuery.Axis.TIMESTAMP)                         // (timestamp, value)
                .withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB));           // faster on very long series

        MetricSeries raw = run.readMetric("loss");                          // every point, arrival order
        // end::sampling-api[]
        return List.of(chart, zoom, wall, raw);
    }
}
