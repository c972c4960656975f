package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads over real HTTP on loopback: resume from the server's mark, replays, gaps, keys, concurrency. */
class SegmentUploadTest {
    @TempDir
    Path dir;

    private static void log(final Experiment e, final int from, final int n) {
        for (int i = from; i < from + n; i++) {
            e.log("train/loss", i, 1_700_000_000_000L + i, i % 97 == 0 ? Double.NaN : 1.0 / (i + 1));
            e.log("acc", i, 1_700_000_000_000L + i, i / 1000.0);
        }
        e.logParameter("lr", 1e-3 * (from + 1));
        e.logOutput(OutputChannel.STDOUT, "epoch " + from);
    }

    @Test
    void shouldResumeFromTheServersMarkAndEndWithTheSameDataBitForBit() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            log(e, 0, 20_000);
            // fresh: the empty mark
            HttpResponse<String> r = ServerFixture.get(c, url + "?source=" + e.sourceId(), key);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(HighWaterMark.empty(e.sourceId()), HighWaterMark.fromJson(r.body()));
            int segments = 0;
            boolean first = true;
            while (true) {
                final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, url, key).body());
                if (first) {
                    assertEquals(HighWaterMark.EMPTY, mark, "no source yet");
                    first = false;
                }
                final IncrementResult[] inc = new IncrementResult[1];
                final byte[] body = ServerFixture.increment(e, mark, new IncrementOptions().maxBytes(16 << 10), inc);
                r = ServerFixture.post(c, url, key, body);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
                assertEquals(inc[0].to(), HighWaterMark.fromJson(r.body()), "the server answers the exporter's 'to'");
                assertEquals(inc[0].to().toJson(), r.body(), "Jackson on the server writes what HighWaterMark.toJson writes");
                assertEquals(Long.toString(inc[0].points()), r.headers().firstValue("Runlog-Points-Added").orElseThrow());
                segments++;
                if (inc[0].complete()) {
                    break;
                }
            }
            assertTrue(segments > 1, "small segments: " + segments);
            // more logging, resumed from the mark the server answers
            log(e, 20_000, 3_000);
            final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, url, key).body());
            final IncrementResult[] inc = new IncrementResult[1];
            r = ServerFixture.post(c, url, key, ServerFixture.increment(e, mark, new IncrementOptions(), inc));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(6_000, inc[0].points());
            assertSameData(e, server.store());
        }
    }

    static void assertSameData(final Experiment a, final RunlogStore serverStore) {
        try (Experiment b = serverStore.project(a.projectName()).openExperiment(a.key())) {
            assertEquals(a.metrics(), b.metrics());
            for (final var m : a.metrics()) {
                final var x = a.readMetric(m.name());
                final var y = b.readMetric(m.name());
                assertArrayEquals(Arrays.copyOf(x.steps(), x.size()), Arrays.copyOf(y.steps(), y.size()));
                assertArrayEquals(Arrays.copyOf(x.timestamps(), x.size()), Arrays.copyOf(y.timestamps(), y.size()));
                assertArrayEquals(Arrays.copyOf(x.valueBitsArray(), x.size()), Arrays.copyOf(y.valueBitsArray(), y.size()));
            }
            for (final String p : a.parameters().keySet()) {
                assertEquals(a.parameterHistory(p), b.parameterHistory(p));
            }
            assertEquals(a.outputLines(), b.outputLines());
            assertEquals(a.isOffline(), b.isOffline());
        }
    }

    @Test
    void shouldAnswerTheSameMarkAndAddNothingWhenAnAcknowledgedSegmentIsSentAgain() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            log(e, 0, 5_000);
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            final byte[] body = ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null);
            final HttpResponse<String> a = ServerFixture.post(c, url, key, body);
            final HttpResponse<String> b = ServerFixture.post(c, url, key, body);
            assertEquals(200, b.statusCode(), b.body());
            assertEquals(a.body(), b.body());
            assertEquals("0", b.headers().firstValue("Runlog-Points-Added").orElseThrow());
            assertEquals("0", b.headers().firstValue("Runlog-Entries-Added").orElseThrow());
            assertSameData(e, server.store());
        }
    }

    @Test
    void shouldRefuseAGapWith409AndTheServersMark() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            log(e, 0, 1_000);
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            final IncrementResult[] first = new IncrementResult[1];
            final byte[] a = ServerFixture.increment(e, HighWaterMark.EMPTY,
                new IncrementOptions().only(DataType.METRICS).maxPoints(500), first);
            final byte[] b = ServerFixture.increment(e, first[0].to(), new IncrementOptions().only(DataType.METRICS), null);
            final HttpResponse<String> gap = ServerFixture.post(c, url, key, b);
            assertEquals(409, gap.statusCode(), gap.body());
            assertEquals("application/problem+json", gap.headers().firstValue("Content-Type").orElse(""));
            assertTrue(gap.body().contains("\"type\":\"https://runlog.io/problems/increment-gap\""), gap.body());
            assertTrue(gap.body().contains("\"mark\":{\"source\":\"" + e.sourceId() + "\""), gap.body());
            assertTrue(server.store().projects().isEmpty(), "nothing stored");
            assertEquals(200, ServerFixture.post(c, url, key, a).statusCode());
            assertEquals(200, ServerFixture.post(c, url, key, b).statusCode());
            try (Experiment s = server.store().project("p").openExperiment("run")) {
                assertEquals(2_000, s.pointCount());
            }
        }
    }

    @Test
    void shouldRefuseMissingUnknownAndOtherProjectsKeysAndStoreNothing() throws Exception {
        final Path keys = dir.resolve("keys");
        final String mine = ApiKeys.add(keys, "p");
        final String theirs = ApiKeys.add(keys, "q");
        assertTrue(mine.startsWith("rlk_") && !mine.equals(theirs));
        assertFalse(java.nio.file.Files.readString(keys).contains(mine.substring(4)), "the key file holds only hashes");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            log(e, 0, 100);
            final byte[] body = ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null);
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            final HttpResponse<String> none = ServerFixture.post(c, url, null, body);
            assertEquals(401, none.statusCode());
            assertEquals("Bearer realm=\"runlog\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            final HttpResponse<String> wrong = ServerFixture.post(c, url, mine + "x", body);
            assertEquals(401, wrong.statusCode());
            assertFalse(wrong.body().contains(mine), "no key echoed");
            final HttpResponse<String> other = ServerFixture.post(c, url, theirs, body);
            assertEquals(403, other.statusCode(), other.body());
            assertEquals(403, ServerFixture.get(c, url, theirs).statusCode());
            assertEquals(401, ServerFixture.get(c, server.url() + "/v1/projects", null).statusCode());
            assertTrue(server.store().projects().isEmpty(), "nothing stored");
            // a key added while the server runs works at once
            final String later = ApiKeys.add(keys, "p");
            assertEquals(200, ServerFixture.post(c, url, later, body).statusCode());
        }
    }

    @Test
    void shouldSerialiseConcurrentUploadsOfOneExperimentAndStoreEachEntryOnce() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            log(e, 0, 10_000);
            final IncrementResult[] half = new IncrementResult[1];
            final byte[] a = ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions().maxPoints(8_000), half);
            final byte[] whole = ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null);
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            final ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                final List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    final byte[] body = i % 2 == 0 ? a : whole;
                    answers.add(pool.submit((Callable<HttpResponse<String>>) () -> ServerFixture.post(c, url, key, body)));
                }
                for (final Future<HttpResponse<String>> f : answers) {
                    assertEquals(200, f.get().statusCode(), f.get().body());
                }
            } finally {
                pool.shutdownNow();
            }
            assertSameData(e, server.store());
            assertEquals(Map.of("train/loss", 10_000L, "acc", 10_000L),
                HighWaterMark.fromJson(ServerFixture.get(c, url, key).body()).metrics());
        }
    }

    @Test
    void shouldRefuseABadSourceIdAndOtherMethodsWithProblems() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions())) {
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(server, "p", "run");
            final HttpResponse<String> bad = ServerFixture.get(c, url + "?source=XYZ", key);
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("32 lower-case hex digits"), bad.body());
            final HttpResponse<String> put = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Bearer " + key).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, put.statusCode(), put.body());
            assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""), "GET answers the mark");
            assertEquals("{\"source\":null,\"metrics\":{},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
                ServerFixture.get(c, url, key).body(), "the mark of an experiment that does not exist yet");
        }
    }
}
