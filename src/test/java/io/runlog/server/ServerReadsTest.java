package io.runlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON reads over real HTTP, parsed back with Jackson. */
class ServerReadsTest {
    @TempDir
    Path dir;

    /** A series' points parsed back: values as doubles, non-finite ones from their strings. */
    private static List<double[]> points(final String json) throws Exception {
        final List<double[]> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("points")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        final long step = p.getLongValue();
                        p.nextToken();
                        final long ts = p.getLongValue();
                        p.nextToken();
                        final double v = p.currentToken() == JsonToken.VALUE_STRING ? Double.parseDouble(p.getText())
                            : p.getDoubleValue();
                        p.nextToken();
                        out.add(new double[] {step, ts, v});
                    }
                }
            }
        }
        return out;
    }

    @Test
    void shouldAnswerProjectsExperimentsMetricsSeriesSamplesChartsStatusAndHealth() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer s = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < 40_000; i++) {
                e.log("train/loss", i, 1_000 + i, i == 7 ? Double.NaN : i == 8 ? Double.POSITIVE_INFINITY
                    : i == 9 ? Double.NEGATIVE_INFINITY : Math.exp(-i / 5000.0) + (i % 13) * 1e-3);
            }
            final HttpClient c = ServerFixture.client();
            assertEquals(200, ServerFixture.post(c, ServerFixture.segments(s, "p", "run"), key,
                ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions().maxBytes(64L << 20), null)).statusCode());
            final String base = s.url() + "/v1/projects/p/experiments/run";
            assertEquals("{\"status\":\"ok\"}", ServerFixture.get(c, s.url() + "/v1/health", null).body());
            assertEquals("[{\"name\":\"p\",\"kind\":\"EXPERIMENT_MANAGEMENT\"}]",
                ServerFixture.get(c, s.url() + "/v1/projects", key).body());
            final String experiments = ServerFixture.get(c, s.url() + "/v1/projects/p/experiments", key).body();
            assertTrue(experiments.startsWith("[{\"key\":\"run\",\"offline\":false,\"createdAt\":")
                && experiments.endsWith("\"points\":40000}]"), experiments);
            assertEquals("[{\"name\":\"train/loss\",\"points\":40000}]", ServerFixture.get(c, base + "/metrics", key).body());
            // the raw series, every value bit for bit (non-finite ones as strings)
            final HttpResponse<String> raw = ServerFixture.get(c, base + "/metrics/train%2Floss/series", key);
            assertEquals(200, raw.statusCode(), raw.body());
            assertTrue(raw.body().contains("[7,1007,\"NaN\"],[8,1008,\"Infinity\"],[9,1009,\"-Infinity\"]"));
            final List<double[]> all = points(raw.body());
            assertEquals(40_000, all.size());
            final var series = e.readMetric("train/loss");
            for (int i = 0; i < all.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(series.value(i)) == Double.doubleToRawLongBits(Double.NaN)
                    ? Double.NaN : series.value(i), all.get(i)[2], 0.0, "value " + i);
            }
            // sampled: LTTB to at most 15,000 by default, or ?max=
            final String sampled = ServerFixture.get(c, base + "/metrics/train%2Floss/sampled", key).body();
            assertTrue(sampled.contains("\"sampled\":true,\"of\":40000,\"max\":15000"), sampled.substring(0, 100));
            assertTrue(points(sampled).size() <= 15_000 && points(sampled).size() > 1_000);
            final List<double[]> small = points(ServerFixture.get(c, base + "/metrics/train%2Floss/sampled?max=500", key).body());
            assertTrue(small.size() <= 500 && small.size() >= 400, "sampled to " + small.size());
            assertEquals(400, ServerFixture.get(c, base + "/metrics/train%2Floss/sampled?max=2", key).statusCode());
            // the largest ?max= returns every point, streamed as it is written (not held whole as JSON first)
            final HttpResponse<String> whole = ServerFixture.get(c, base + "/metrics/train%2Floss/sampled?max=10000000", key);
            assertEquals(200, whole.statusCode(), whole.body());
            assertEquals(40_000, points(whole.body()).size());
            assertTrue(whole.headers().firstValue("Content-Length").isEmpty(), "streamed (chunked): " + whole.headers().map());
            assertEquals(404, ServerFixture.get(c, base + "/metrics/nothing/sampled?max=10000000", key).statusCode(),
                "a missing metric is still a problem, decided before the answer starts");
            // a chart
            final HttpResponse<byte[]> png = c.send(HttpRequest.newBuilder(URI.create(base
                + "/metrics/train%2Floss/chart.png?width=400&height=300")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
            assertEquals((byte) 0x89, png.body()[0]);
            assertEquals("PNG", new String(png.body(), 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
            // a chart larger than a 4K screen is refused before anything is drawn (8000x8000 held 256 MB)
            final HttpResponse<String> huge = ServerFixture.get(c, base + "/metrics/train%2Floss/chart.png?width=8000&height=8000", key);
            assertEquals(400, huge.statusCode(), huge.body());
            assertTrue(huge.body().contains("at most 8294400 pixels"), huge.body());
            assertEquals(200, ServerFixture.get(c, base + "/metrics/train%2Floss/chart.png?width=3840&height=2160", key)
                .statusCode(), "a 4K chart is drawn");
            assertTrue(ServerFixture.get(c, base + "/status", key).body().contains("\"throttled\":false"));
            // unknown metric and experiment
            final HttpResponse<String> missing = ServerFixture.get(c, base + "/metrics/nope/series", key);
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("not-found"), missing.body());
            assertEquals(404, ServerFixture.get(c, s.url() + "/v1/projects/p/experiments/other/metrics", key).statusCode());
        }
    }
}
