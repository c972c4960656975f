package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.archive.ArchiveReader;
import io.runlog.archive.ArchiveVisitor;
import io.runlog.testing.ChildJvm;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of the server (a child JVM) at random moments of an upload, mid-import
 * included, then a restart: after every kill the server holds every segment it acknowledged
 * (its mark covers the last 200) and nothing twice (each metric is a prefix of the client's); at
 * the end it holds exactly the client's experiment, bit for bit. Seeded
 * ({@code -Drunlog.test.seed=S}); {@code -Drunlog.server.kills=N} sets the number of kills.
 */
class ServerKillNineTest {
    private static final Pattern URL = Pattern.compile("url (http://\\S+)");
    private static final int POINTS = 300_000;

    @TempDir
    Path dir;

    private static int blocksPrinted(final String output) {
        int n = 0;
        for (int i = output.indexOf("block "); i >= 0; i = output.indexOf("block ", i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldHoldEveryAcknowledgedSegmentExactlyOnceAfterKillNineMidImport() throws Exception {
        final long seed = TestSeed.of("ServerKillNineTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final int kills = Integer.getInteger("runlog.server.kills", 3);
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final Path serverDir = dir.resolve("server");
        final HttpClient c = ServerFixture.client();
        int killed = 0;
        int midRequest = 0;
        int children = 0;
        HighWaterMark acknowledged = HighWaterMark.EMPTY;
        try (RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < POINTS; i++) {
                e.log("loss", i, 1_700_000_000_000L + i, Math.exp(-i / 1e5) + (i % 7) * 1e-4);
                e.log("acc", i, 1_700_000_000_000L + i, i == 5 ? Double.NaN : i / (double) POINTS);
                if (i % 10_000 == 0) {
                    e.logOutput(OutputChannel.STDOUT, "step " + i);
                    e.logParameter("lr", 1e-3 / (1 + i / 10_000));
                }
            }
            final String url = "/v1/projects/p/experiments/run/segments";
            boolean done = false;
            while (!done) {
                try (ChildJvm.Child child = ChildJvm.of(ServerChild.class, dir.resolve("child-" + children++))
                    .args(serverDir, keys).start()) {
                    child.await("url", Duration.ofMinutes(2), () -> URL.matcher(child.output()).find());
                    final Matcher m = URL.matcher(child.output());
                    assertTrue(m.find());
                    final String base = m.group(1);
                    while (true) {
                        final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, base + url, key).body());
                        assertTrue(mark.covers(acknowledged), "the server lost an acknowledged segment: holds " + mark
                            + ", acknowledged " + acknowledged + " (seed " + seed + ")");
                        final Path segment = dir.resolve("segment.rla");
                        final IncrementResult inc = e.exportIncrement(segment, mark,
                            new IncrementOptions().maxPoints(150_000 + random.nextInt(100_000)));
                        if (inc.isEmpty()) {
                            done = true;
                            break;
                        }
                        final HttpRequest post = HttpRequest.newBuilder(URI.create(base + url))
                            .header("Authorization", "Bearer " + key).header("Content-Type", ServerFixture.TYPE)
                            .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofFile(segment)).build();
                        final boolean kill = killed < kills && random.nextInt(3) != 0;
                        final int before = blocksPrinted(child.output());
                        final CompletableFuture<HttpResponse<String>> answer = c.sendAsync(post,
                            HttpResponse.BodyHandlers.ofString());
                        if (!kill) {
                            final HttpResponse<String> r = answer.get();
                            assertEquals(200, r.statusCode(), r.body());
                            acknowledged = HighWaterMark.fromJson(r.body());
                            assertEquals(inc.to(), acknowledged);
                            // durable at the 200: the server holds at least that (beyond the mark only a crashed
                            // import's next entries of the same source, recognised by the next import, never twice)
                            final String metrics = ServerFixture.get(c, base + "/v1/projects/p/experiments/run/metrics", key)
                                .body();
                            for (final String name : new String[] {"loss", "acc"}) {
                                final Matcher held = Pattern.compile("\"name\":\"" + name + "\",\"points\":(\\d+)")
                                    .matcher(metrics);
                                assertTrue(held.find(), metrics);
                                final long n = Long.parseLong(held.group(1));
                                assertTrue(n >= acknowledged.metricPoints(name) && n <= POINTS, name + " holds " + n
                                    + ", acknowledged " + acknowledged.metricPoints(name) + " (seed " + seed + ")");
                            }
                            continue;
                        }
                        final int dataBlocks;
                        try (ArchiveReader reader = ArchiveReader.open(segment)) {
                            dataBlocks = reader.read(new ArchiveVisitor() { }).blocks() - 3;
                        }
                        final int at = before + 1 + random.nextInt(dataBlocks);
                        child.await("block " + at, Duration.ofMinutes(2),
                            () -> blocksPrinted(child.output()) >= at || answer.isDone());
                        child.killNine();
                        killed++;
                        try {
                            final HttpResponse<String> r = answer.get();
                            if (r.statusCode() == 200) {
                                acknowledged = HighWaterMark.fromJson(r.body()); // answered before the kill
                            }
                        } catch (final java.util.concurrent.ExecutionException lost) {
                            midRequest++; // the connection died with the server: no answer, so nothing acknowledged
                        }
                        assertPrefix(e, serverDir, acknowledged, seed);
                        break; // restart the server
                    }
                }
            }
            System.out.println("ServerKillNineTest: seed " + seed + ", " + killed + " kills, " + midRequest
                + " of them before the answer, " + children + " server JVMs");
            assertTrue(midRequest > 0 || kills == 0, "no kill landed before the answer (seed " + seed + ")");
            try (RunlogStore server = RunlogStore.open(serverDir, ServerFixture.storeOptions());
                 Experiment s = server.project("p").openExperiment("run")) {
                assertEquals(e.metrics(), s.metrics());
                for (final MetricInfo info : e.metrics()) {
                    final MetricSeries a = e.readMetric(info.name());
                    final MetricSeries b = s.readMetric(info.name());
                    assertArrayEquals(Arrays.copyOf(a.valueBitsArray(), a.size()), Arrays.copyOf(b.valueBitsArray(), b.size()));
                    assertArrayEquals(Arrays.copyOf(a.steps(), a.size()), Arrays.copyOf(b.steps(), b.size()));
                }
                assertEquals(e.outputLines(), s.outputLines());
                assertEquals(e.parameterHistory("lr"), s.parameterHistory("lr"));
            }
        }
    }

    /** With the server dead: everything acknowledged is there, and each stream is a prefix of the client's (no duplicate). */
    private static void assertPrefix(final Experiment local, final Path serverDir, final HighWaterMark acknowledged,
                                     final long seed) {
        if (!Files.exists(serverDir.resolve("projects").resolve("p"))) {
            assertEquals(HighWaterMark.EMPTY, acknowledged);
            return;
        }
        try (RunlogStore server = RunlogStore.open(serverDir, ServerFixture.storeOptions())) {
            if (server.projects().isEmpty() || !server.project("p").experimentKeys().contains("run")) {
                assertEquals(0, acknowledged.points() + acknowledged.entries());
                return;
            }
            try (Experiment s = server.project("p").openExperiment("run")) {
                for (final MetricInfo info : s.metrics()) {
                    final MetricSeries b = s.readMetric(info.name());
                    final MetricSeries a = local.readMetric(info.name());
                    assertTrue(b.size() <= a.size(), info.name() + ": the server holds more than was sent (seed " + seed + ")");
                    assertTrue(b.size() >= acknowledged.metricPoints(info.name()), info.name() + " lost acknowledged points");
                    assertArrayEquals(Arrays.copyOf(a.valueBitsArray(), b.size()), Arrays.copyOf(b.valueBitsArray(), b.size()),
                        info.name() + " is not a prefix of the client's (seed " + seed + ")");
                }
                assertTrue(s.outputLines().size() <= local.outputLines().size());
                assertEquals(local.outputLines().subList(0, s.outputLines().size()), s.outputLines());
            }
        }
    }
}
