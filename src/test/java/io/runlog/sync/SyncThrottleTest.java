package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import io.runlog.gate.DataType;
import io.runlog.gate.RateLimits;
import io.runlog.gate.ThrottleNotice;
import io.runlog.gate.ThrottleWarning;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Low rate limits on the real server, whose gate and the client share one simulated clock: an
 * hour-scale throttling story runs in seconds.
 */
class SyncThrottleTest {
    private static final int POINTS = 20_000;
    private static final int PER_MINUTE = 2_000;

    @TempDir
    Path tmp;

    @Test
    void aThrottledClientNeverSendsBeforeRetryAfterShipsAtTheFullAllowedRateAndEverythingArrives() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final RateLimits limits = new RateLimits().perMinute(DataType.METRICS, PER_MINUTE)
            .perMinute(DataType.PARAMETERS, 100).perMinute(DataType.OUTPUT, 100);
        final List<ThrottleNotice> notices = new CopyOnWriteArrayList<>();
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, time::epochMillis, limits,
                 new ServerOptions()).start();
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
            try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                for (int i = 0; i < POINTS; i++) {
                    e.log("loss", i, 1.0 / (1 + i));
                }
                for (int i = 0; i < 20; i++) {
                    e.logParameter("p" + i, (long) i);
                    e.logOutput(OutputChannel.STDOUT, "line " + i);
                }
                // The server's RateLimit headers keep a lone client from ever being refused (it waits for the
                // window instead), so another client of the same API key uploads while this one waits for its
                // window: its view of what is left is then stale, and its next segment meets a 429.
                final byte[] rivalSegment;
                final String rivalPath;
                try (RunlogStore rival = RunlogStore.open(tmp.resolve("rival"));
                     Experiment r = rival.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT)
                         .openOrCreateExperiment("rival")) {
                    for (int i = 0; i < PER_MINUTE / 2; i++) {
                        r.log("loss", i, i);
                    }
                    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    r.exportIncrement(out, io.runlog.HighWaterMark.EMPTY, new io.runlog.IncrementOptions());
                    rivalSegment = out.toByteArray();
                    rivalPath = HttpTransport.segmentsPath("p", "rival") + "?source=" + r.sourceId() + "&type=RIVAL";
                }
                final HttpTransport rivalClient = new HttpTransport(server.uri(), key, Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
                final int[] rivalStatus = {0};
                time.onSleep(n -> {
                    // once the first window has passed, until admitted (the rival is a plain client: it tries
                    // once a simulated second and is left out of the Retry-After check)
                    if (rivalStatus[0] != 200 && time.elapsedMillis() >= 55_000) {
                        try {
                            rivalStatus[0] = rivalClient.postArchive(rivalPath, rivalSegment).status();
                        } catch (final java.io.IOException | InterruptedException x) {
                            throw new IllegalStateException(x);
                        }
                    }
                });
                final long start = time.elapsedMillis();
                final long[] lateLoggedAt = {-1};
                try (Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).clock(time).sleeper(time)
                    .throttleListener(n -> {
                        notices.add(n);
                        if (lateLoggedAt[0] < 0) {
                            // while metrics are throttled, the harness logs a parameter: it must not wait for them
                            e.logParameter("late", "while throttled");
                            lateLoggedAt[0] = time.epochMillis();
                        }
                    }).pollInterval(Duration.ofSeconds(1)).seed(11))) {
                    assertTrue(sync.awaitSynced(Duration.ofMinutes(3)), () -> "not synced: " + sync.status());
                    final SyncStatus s = sync.status();
                    System.out.println("throttled sync: " + s + ", simulated " + (time.elapsedMillis() - start) + " ms");
                    assertTrue(s.throttleNotices() >= 1, s.toString());
                }
                final long simulated = time.elapsedMillis() - start;
                assertEquals(200, rivalStatus[0], "the rival's upload was admitted");
                assertNeverBeforeRetryAfter(server.exchanges());
                // 20,000 points at 2,000 a minute: the first window admits 2,000 at once, so at least 9 more minutes
                assertTrue(simulated >= 9 * 60_000L, "cannot beat the limit: " + simulated + " ms");
                // ten windows and the rival's half; the gate frees units in 10 s sub-windows and Retry-After
                // rounds up, so a window may take up to 70 s
                assertTrue(simulated <= 11 * 70_000L + 60_000L, "ships at the full allowed rate, not slower: "
                    + simulated + " ms");
                System.out.printf("throttled rate: %.0f points per simulated minute with the rival's, limit %d%n",
                    (POINTS + PER_MINUTE / 2) * 60_000.0 / simulated, PER_MINUTE);

                assertNeverBeforeRetryAfter(server.exchanges());
                final long lastMetrics = server.exchanges().stream().filter(x -> "METRICS".equals(x.type()))
                    .mapToLong(TestSyncServer.Exchange::atMillis).max().orElseThrow();
                final long lateShipped = server.exchanges().stream().filter(x -> "PARAMETERS".equals(x.type())
                    && x.status() == 200 && x.atMillis() >= lateLoggedAt[0]).mapToLong(TestSyncServer.Exchange::atMillis)
                    .min().orElseThrow();
                assertTrue(lateShipped - lateLoggedAt[0] < 60_000 && lateShipped < lastMetrics,
                    "a parameter logged while metrics were throttled shipped at once (" + (lateShipped - lateLoggedAt[0])
                        + " ms), not after the metrics (" + (lastMetrics - lateLoggedAt[0]) + " ms)");
                assertFalse(notices.isEmpty(), "the client raised notices");
                assertTrue(notices.stream().allMatch(n -> n.type() == DataType.METRICS && n.project().equals("p")
                    && !n.apiKey().contains(key)), notices.toString());
                final ThrottleWarning.Throttled local = e.throttleWarning().of(DataType.METRICS).orElseThrow();
                assertTrue(local.submissions() >= notices.size(), "the local flag counts every refusal: " + local);
            }
            try (Experiment onServer = server.store().project("p").openExperiment("e")) {
                final ThrottleWarning.Throttled remote = onServer.throttleWarning().of(DataType.METRICS).orElseThrow();
                assertTrue(remote.episodes() >= 1, "the server's flag shows the episodes: " + remote);
                assertTrue(onServer.throttleWarning().of(DataType.PARAMETERS).isEmpty(),
                    "parameters were never held back by throttled metrics");
            }
            SyncFixtures.assertSameData(harness, server.store(), "p", "e");
        }
    }

    /** After a 429 with Retry-After R for a type, that type's next request comes R seconds later or more. */
    static void assertNeverBeforeRetryAfter(final List<TestSyncServer.Exchange> exchanges) {
        final Map<String, Long> notBefore = new HashMap<>();
        int refused = 0;
        for (final TestSyncServer.Exchange x : exchanges) {
            if (!"POST".equals(x.method()) || "RIVAL".equals(x.type())) {
                continue;
            }
            final Long earliest = notBefore.remove(x.type());
            if (earliest != null) {
                assertTrue(x.atMillis() >= earliest, "a " + x.type() + " segment was sent at " + x.atMillis()
                    + ", before the Retry-After that ended at " + earliest);
            }
            if (x.status() == 429) {
                refused++;
                assertTrue(x.retryAfter() != null, "a 429 carries Retry-After");
                notBefore.put(x.type(), x.atMillis() + Long.parseLong(x.retryAfter()) * 1_000);
            }
        }
        if (Boolean.getBoolean("runlog.sync.debug")) { exchanges.stream().limit(80).forEach(System.out::println); }
        assertTrue(refused >= 1, "the limits were low enough to refuse: " + exchanges.size() + " exchanges");
        System.out.println("429s: " + refused + " of " + exchanges.size() + " exchanges");
    }
}
