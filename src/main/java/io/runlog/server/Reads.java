package io.runlog.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.Project;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import io.runlog.chart.LineChart;
import io.runlog.gate.ThrottleWarning;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.StoreEngine;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/** Internal: the JSON reads of docs/sync.md ("Reads"), written through Jackson's streaming generator. */
final class Reads {
    /** Points read from the store per step of a streamed series: memory stays bounded however long it is. */
    private static final int CHUNK = 1 << 14;

    private final RunlogStore store;
    private final ServerOptions options;

    Reads(final RunlogStore store, final ServerOptions options) {
        this.store = store;
        this.options = options;
    }

    void projects(final JsonGenerator g, final String project) throws IOException {
        g.writeStartArray();
        for (final Project p : store.projects()) {
            if (p.name().equals(project)) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("kind", p.kind().name());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    void experiments(final JsonGenerator g, final String project) throws IOException {
        final Project p = store.project(project);
        g.writeStartArray();
        for (final String key : p.experimentKeys()) {
            try (Experiment e = p.openExperiment(key)) {
                g.writeStartObject();
                g.writeStringField("key", key);
                g.writeBooleanField("offline", e.isOffline());
                g.writeNumberField("createdAt", e.createdAt());
                g.writeNumberField("points", e.pointCount());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    void metrics(final JsonGenerator g, final String project, final String key) throws IOException {
        try (Experiment e = store.project(project).openExperiment(key)) {
            g.writeStartArray();
            for (final MetricInfo m : e.metrics()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeNumberField("points", m.count());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    void status(final JsonGenerator g, final String project, final String key) throws IOException {
        try (Experiment e = store.project(project).openExperiment(key)) {
            final ThrottleWarning w = e.throttleWarning();
            g.writeStartObject();
            g.writeStringField("project", project);
            g.writeStringField("experiment", key);
            g.writeBooleanField("offline", e.isOffline());
            g.writeNumberField("points", e.pointCount());
            g.writeBooleanField("throttled", w.raised());
            g.writeObjectFieldStart("throttle");
            for (final ThrottleWarning.Throttled t : w.types().values()) {
                g.writeObjectFieldStart(t.type().name());
                g.writeNumberField("first", t.firstMillis());
                g.writeNumberField("last", t.lastMillis());
                g.writeNumberField("units", t.units());
                g.writeNumberField("submissions", t.submissions());
                g.writeNumberField("episodes", t.episodes());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** @throws io.runlog.NotFoundException if there is no such project, experiment or metric */
    void checkMetric(final String project, final String key, final String metric) {
        try (Experiment e = store.project(project).openExperiment(key)) {
            if (e.metrics().stream().noneMatch(m -> m.name().equals(metric))) {
                throw new io.runlog.NotFoundException("experiment " + project + "/" + key + " has no metric '" + metric + "'");
            }
        }
    }

    /** The raw series, read block by block and written as it is read. */
    void series(final JsonGenerator g, final String project, final String key, final String metric) throws IOException {
        final StoreEngine se = io.runlog.internal.StoreAccess.engine(store);
        final ExperimentEngine engine = se.acquire(se.experimentHeader(project, key));
        try {
            final long[] steps = new long[CHUNK];
            final long[] timestamps = new long[CHUNK];
            final long[] values = new long[CHUNK];
            int n = engine.readPoints(metric, 0, steps, timestamps, values, CHUNK); // NotFoundException before any byte
            g.writeStartObject();
            g.writeStringField("metric", metric);
            g.writeArrayFieldStart("points");
            long from = 0;
            while (n > 0) {
                for (int i = 0; i < n; i++) {
                    point(g, steps[i], timestamps[i], Double.longBitsToDouble(values[i]));
                }
                from += n;
                n = n < CHUNK ? 0 : engine.readPoints(metric, from, steps, timestamps, values, CHUNK);
            }
            g.writeEndArray();
            g.writeNumberField("count", from);
            g.writeEndObject();
        } finally {
            se.release(engine);
        }
    }

    /** A sampled metric, read before its answer starts (so a missing metric is still a 404). */
    record Sampled(String metric, int max, long total, MetricSeries series) {
    }

    Sampled sample(final String project, final String key, final String metric, final int max) {
        try (Experiment e = store.project(project).openExperiment(key)) {
            final MetricSeries s = e.sampledMetric(metric, SampleQuery.ofMax(max));
            final long total = e.metrics().stream().filter(m -> m.name().equals(metric)).mapToLong(MetricInfo::count).sum();
            return new Sampled(metric, max, total, s);
        }
    }

    /**
     * Writes {@code r}; the caller streams it, so a large {@code ?max=} (up to 10M points) costs the
     * series in memory, not also a JSON copy of it.
     */
    void sampled(final JsonGenerator g, final Sampled r) throws IOException {
        final String metric = r.metric();
        final int max = r.max();
        final long total = r.total();
        final MetricSeries s = r.series();
        g.writeStartObject();
        g.writeStringField("metric", metric);
        g.writeBooleanField("sampled", true);
        g.writeNumberField("of", total);
        g.writeNumberField("max", max);
        g.writeArrayFieldStart("points");
        for (int i = 0; i < s.size(); i++) {
            point(g, s.step(i), s.timestamp(i), s.value(i));
        }
        g.writeEndArray();
        g.writeNumberField("count", s.size());
        g.writeEndObject();
    }

    private static void point(final JsonGenerator g, final long step, final long timestamp, final double value)
        throws IOException {
        g.writeStartArray();
        g.writeNumber(step);
        g.writeNumber(timestamp);
        Json.value(g, value);
        g.writeEndArray();
    }

    byte[] chart(final String project, final String key, final String metric, final int width, final int height)
        throws IOException {
        final MetricSeries raw;
        final MetricSeries sampled;
        try (Experiment e = store.project(project).openExperiment(key)) {
            raw = e.readMetric(metric);
            sampled = e.sampledMetric(metric, SampleQuery.ofMax(options.defaultSampleMax()));
        }
        final LineChart chart = new LineChart(width, height)
            .title(String.format(Locale.ROOT, "%s/%s: %s (%,d points, %,d shown by LTTB)", project, key, metric,
                raw.size(), sampled.size()))
            .axes("step", metric)
            .legend("raw", "LTTB")
            .raw(xs(raw), ys(raw))
            .sampled(xs(sampled), ys(sampled));
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(chart.render(), "png", b);
        return b.toByteArray();
    }

    private static double[] xs(final MetricSeries s) {
        final double[] x = new double[s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = s.step(i);
        }
        return x;
    }

    private static double[] ys(final MetricSeries s) {
        final double[] y = new double[s.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = s.value(i);
        }
        return y;
    }
}
