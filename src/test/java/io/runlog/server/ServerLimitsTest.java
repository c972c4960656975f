package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HardLimits;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.RateLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits for online experiments (429 with Retry-After and RateLimit headers), hard limits for offline ones. */
class ServerLimitsTest {
    private static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldAnswer429WithRetryAfterAndRateLimitHeadersStoreNothingAndAdmitLater() throws Exception {
        final AtomicLong now = new AtomicLong(T0);
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final RateLimits limits = ServerOptions.unlimited().perMinute(DataType.METRICS, 1_000).submissionsPerHour(100);
        try (SyncServer s = ServerFixture.start(dir, keys, new ServerOptions().rateLimits(limits).clock(now::get));
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < 1_500; i++) {
                e.log("loss", i, i * 0.25);
            }
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(s, "p", "run");
            final IncrementResult[] first = new IncrementResult[1];
            final HttpResponse<String> ok = ServerFixture.post(c, url, key, ServerFixture.increment(e, HighWaterMark.EMPTY,
                new IncrementOptions().only(DataType.METRICS).maxPoints(800), first));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("\"metrics\";q=1000;w=60, \"submissions\";q=100;w=3600",
                ok.headers().firstValue("RateLimit-Policy").orElse(""));
            final String left = ok.headers().firstValue("RateLimit").orElse("");
            assertTrue(left.matches("\"metrics\";r=200;t=6\\d, \"submissions\";r=99;t=36\\d\\d"), left);
            final byte[] rest = ServerFixture.increment(e, first[0].to(), new IncrementOptions().only(DataType.METRICS), null);
            now.addAndGet(5_000);
            final HttpResponse<String> refused = ServerFixture.post(c, url, key, rest);
            assertEquals(429, refused.statusCode(), refused.body());
            final long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 55 && retryAfter <= 57, "Retry-After " + retryAfter + ": 800 of 1,000 used 5 s ago leave the window a minute after, within one sub-window");
            // 200 left of 1,000 (the refused 700 count nothing); the one submission the 200 took of 100
            final String rateLimit = refused.headers().firstValue("RateLimit").orElse("");
            assertTrue(rateLimit.matches("\"metrics\";r=200;t=" + retryAfter + ", \"submissions\";r=99;t=36\\d\\d"),
                rateLimit);
            assertTrue(refused.headers().firstValue("RateLimit-Policy").isPresent());
            assertTrue(refused.body().contains("\"type\":\"https://runlog.io/problems/rate-limited\""), refused.body());
            assertTrue(refused.body().contains("\"retryAfter\":" + retryAfter), refused.body());
            assertEquals(first[0].to(), HighWaterMark.fromJson(ServerFixture.get(c, url, key).body()), "nothing stored");
            // the server's throttle warning flag shows the episode
            final HttpResponse<String> status = ServerFixture.get(c, s.url() + "/v1/projects/p/experiments/run/status", key);
            assertTrue(status.body().contains("\"throttled\":true") && status.body().contains("\"METRICS\":{"), status.body());
            // once Retry-After has passed, the same segment is admitted
            now.addAndGet(retryAfter * 1000);
            final HttpResponse<String> later = ServerFixture.post(c, url, key, rest);
            assertEquals(200, later.statusCode(), later.body());
            try (Experiment server = s.store().project("p").openExperiment("run")) {
                assertEquals(1_500, server.pointCount());
            }
        }
    }

    @Test
    void shouldRefuseASegmentNoWindowCanAdmitWith413() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final RateLimits limits = ServerOptions.unlimited().perMinute(DataType.METRICS, 100);
        try (SyncServer s = ServerFixture.start(dir, keys, new ServerOptions().rateLimits(limits));
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < 101; i++) {
                e.log("loss", i, i);
            }
            final HttpResponse<String> r = ServerFixture.post(ServerFixture.client(), ServerFixture.segments(s, "p", "run"),
                key, ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null));
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("segment-too-large") && r.body().contains("\"limit\":\"METRICS\""), r.body());
            assertTrue(s.store().projects().isEmpty());
        }
    }

    @Test
    void shouldLetOfflineExperimentsPastTheRateLimitsButNotPastTheHardLimits() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final RateLimits limits = ServerOptions.unlimited().perMinute(DataType.METRICS, 10).submissionsPerHour(1);
        try (SyncServer s = SyncServer.start(dir.resolve("server-store"),
                ServerFixture.storeOptions().hardLimits(new HardLimits().uniqueMetrics(2)),
                new InetSocketAddress("127.0.0.1", 0), keys, new ServerOptions().rateLimits(limits), null, null);
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions())) {
            final HttpClient c = ServerFixture.client();
            try (Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("off")) {
                for (int i = 0; i < 5_000; i++) {
                    e.log("a", i, i);
                    e.log("b", i, -i);
                }
                for (int k = 0; k < 3; k++) { // 3 submissions, 10,000 points: far beyond both rate limits
                    final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, ServerFixture.segments(s, "p", "off"),
                        key).body());
                    final HttpResponse<String> r = ServerFixture.post(c, ServerFixture.segments(s, "p", "off"), key,
                        ServerFixture.increment(e, mark, new IncrementOptions().maxPoints(4_000), null));
                    assertEquals(200, r.statusCode(), r.body());
                    // no limit applies, so none is announced: a client would otherwise cut its segments to the quota
                    assertTrue(r.headers().firstValue("RateLimit-Policy").isEmpty(), r.headers().toString());
                    assertTrue(r.headers().firstValue("RateLimit").isEmpty(), r.headers().toString());
                }
                e.log("c", 0, 1.0); // a third metric: over the hard limit
                final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, ServerFixture.segments(s, "p", "off"),
                    key).body());
                assertEquals(10_000, mark.points());
                final HttpResponse<String> r = ServerFixture.post(c, ServerFixture.segments(s, "p", "off"), key,
                    ServerFixture.increment(e, mark, new IncrementOptions(), null));
                assertEquals(409, r.statusCode(), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
                assertTrue(r.body().contains("\"type\":\"https://runlog.io/problems/hard-limit\"")
                    && r.body().contains("\"limit\":\"uniqueMetrics\",\"limitValue\":2"), r.body());
                assertEquals(mark, HighWaterMark.fromJson(ServerFixture.get(c, ServerFixture.segments(s, "p", "off"),
                    key).body()), "nothing stored");
            }
        }
    }
}
