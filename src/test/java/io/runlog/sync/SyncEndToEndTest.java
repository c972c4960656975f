package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A harness syncs live to the real server on loopback; the server ends with exactly its data. */
class SyncEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void aMillionPointsOverTenMetricsWithParametersOutputAndAnItemArriveBitForBitWhileLogging() throws Exception {
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "vision");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
                 new ServerOptions()).start();
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
             Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).pollInterval(Duration.ofMillis(20))
                 .maxSegmentBytes(1 << 20).seed(1))) {
            final byte[] png = new byte[70_000];
            new java.util.Random(7).nextBytes(png);
            try (Experiment run = harness.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT)
                .openOrCreateExperiment("resnet-1")) {
                run.logParameter("lr", 3e-4);
                run.logParameter("optimizer", "adamw");
                run.logParameter("epochs", 90L);
                final MetricHandle[] m = new MetricHandle[10];
                for (int i = 0; i < m.length; i++) {
                    m[i] = run.metric("metric-" + i);
                }
                for (int step = 0; step < 100_000; step++) {
                    for (int i = 0; i < m.length; i++) {
                        final double v = switch (i) {
                            case 0 -> Math.exp(-step / 20_000.0) + 0.01 * Math.sin(step);
                            case 1 -> Math.round(10_000 * (1 - Math.exp(-step / 9_000.0))) / 10_000.0;
                            case 2 -> step % 1_000 == 0 ? Double.NaN : (float) (1.0 / (1 + step));
                            case 3 -> step == 5 ? -0.0 : step == 6 ? Double.POSITIVE_INFINITY : step * 1e-3;
                            default -> Double.longBitsToDouble(0x3ff0_0000_0000_0000L | (step * 2654435761L + i));
                        };
                        m[i].log(step, 1_764_000_000_000L + step, v);
                    }
                    if (step % 10_000 == 0) {
                        run.logOutput(OutputChannel.STDOUT, "step " + step);
                        run.logParameter("lr", 3e-4 * (1 - step / 100_000.0));
                    }
                }
                run.logItem(ItemType.IMAGE, "confusion.png", Map.of("step", "100000"), png);
                run.logOutput(OutputChannel.STDERR, "done");
                assertTrue(sync.awaitSynced(Duration.ofMinutes(3)), () -> "not synced: " + sync.status());
                final SyncStatus s = sync.status();
                assertEquals(0, s.lagPoints(), s.toString());
                assertEquals(0, s.lagEntries(), s.toString());
                assertNull(s.failure());
                assertEquals(1_000_000, s.acknowledgedPoints(), s.toString());
                System.out.println("end to end: " + s);
            }
            SyncFixtures.assertSameData(harness, server.store(), "vision", "resnet-1");
        }
    }

    @Test
    void aSecondSyncOfAnAlreadySyncedStoreAddsNothingAndShipsWhatWasLoggedInBetween() throws Exception {
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
                try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                    for (int i = 0; i < 5_000; i++) {
                        e.log("loss", i, 1.0 / (i + 1));
                    }
                }
                try (Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).seed(2))) {
                    assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                }
                // closed without waiting; more is logged while no sync runs
                try (Experiment e = harness.project("p").openExperiment("e")) {
                    for (int i = 5_000; i < 7_000; i++) {
                        e.log("loss", i, 1.0 / (i + 1));
                    }
                    e.logOutput(OutputChannel.STDOUT, "later");
                }
            }
            try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
                 Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).seed(3))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                assertEquals(2_000, sync.status().acknowledgedPoints(), "only what was new was acknowledged");
                SyncFixtures.assertSameData(harness, server.store(), "p", "e");
            }
        }
    }

    @Test
    void closingWhileTheServerIsDownDoesNotWaitAndWhatIsUnsentShipsAtTheNextStart() throws Exception {
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions());
        server.start();
        server.stop();
        try (server) {
            try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
                 Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).seed(9))) {
                try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                    for (int i = 0; i < 50_000; i++) {
                        e.log("loss", i, Math.sin(i));
                    }
                }
                assertFalse(sync.awaitSynced(Duration.ofMillis(300)), "nothing can be acknowledged while the server is down");
                assertTrue(sync.status().lastError() != null && sync.status().nextAttemptAtMillis() > 0, sync.status().toString());
                assertEquals(50_000, sync.status().lagPoints());
            }   // closes the sync and the store without waiting for the server
            server.start();
            try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
                 Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).seed(10))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                SyncFixtures.assertSameData(harness, server.store(), "p", "e");
            }
        }
    }
}
