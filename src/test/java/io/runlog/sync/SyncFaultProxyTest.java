package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.testing.TestSeed;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Between the client and the real server, a TCP proxy drops connections mid-request and
 * mid-response (the client cannot tell whether the server committed), resets, truncates and
 * delays them. Exactly once anyway: the server ends with the harness's data, nothing missing and
 * nothing twice. {@value #RUNS} seeded runs in {@code mvn verify}; {@code -Drunlog.sync.proxyRuns=N}
 * for more; {@code -Drunlog.test.seed=S} replays.
 */
class SyncFaultProxyTest {
    static final int RUNS = 10;

    @TempDir
    Path tmp;

    @Test
    void exactlyOnceThroughAProxyThatDropsResetsTruncatesAndDelaysOverSeededRuns() throws Exception {
        final long base = TestSeed.of("SyncFaultProxyTest");
        final int runs = Integer.getInteger("runlog.sync.proxyRuns", RUNS);
        long faults = 0;
        long requests = 0;
        for (int run = 0; run < runs; run++) {
            final long seed = base + run;
            final Path dir = tmp.resolve("run-" + run);
            final SyncStatus s = oneRun(dir, seed);
            requests += s.attempts();
            faults += lastFaults;
        }
        System.out.println("fault proxy: " + runs + " runs, " + requests + " requests, " + faults + " faulted requests");
        assertTrue(faults >= runs, "the proxy did inject faults: " + faults);
    }

    private long lastFaults;

    private SyncStatus oneRun(final Path dir, final long seed) throws Exception {
        final SplittableRandom r = new SplittableRandom(seed);
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        java.nio.file.Files.createDirectories(dir);
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (TestSyncServer server = new TestSyncServer(dir.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
                 new ServerOptions()).start();
             FaultyProxy proxy = new FaultyProxy(server.port(), seed, 0.35);
             RunlogStore harness = RunlogStore.open(dir.resolve("harness"))) {
            try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                final int points = 5_000 + r.nextInt(10_000);
                for (int i = 0; i < points; i++) {
                    e.log("m" + (i % 3), i, r.nextDouble());
                    if (i % 500 == 0) {
                        e.logOutput(OutputChannel.STDOUT, "line " + i);
                        e.logParameter("lr", r.nextDouble());
                    }
                }
                final byte[] payload = new byte[1 + r.nextInt(20_000)];
                r.nextBytes(payload);
                e.logItem(ItemType.IMAGE, "img", Map.of(), payload);
            }
            final SyncStatus s;
            try (Sync sync = Sync.start(harness, new SyncOptions(java.net.URI.create("http://127.0.0.1:" + proxy.port()), key)
                .clock(time).sleeper(time).seed(seed).maxSegmentBytes(4096).requestTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5)))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(3)), () -> "seed " + seed + " not synced: " + sync.status());
                s = sync.status();
            }
            lastFaults = proxy.faults();
            SyncFixtures.assertSameData(harness, server.store(), "p", "e");
            return s;
        }
    }
}
