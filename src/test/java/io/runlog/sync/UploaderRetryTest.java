package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The uploader's retries against scripted answers over the library's real importer, on a simulated clock. */
class UploaderRetryTest {
    @TempDir
    Path tmp;

    private void fill(final RunlogStore harness) {
        try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            for (int i = 0; i < 20_000; i++) {
                e.log("loss", i, 1.0 / (1 + i));
            }
            e.logParameter("lr", 0.5);
            e.logOutput(OutputChannel.STDOUT, "x");
        }
    }

    @Test
    void fiveHundredsBackOffWithFullJitterUnderTheCeilingAndA503sRetryAfterIsAFloor() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        Files.createDirectories(tmp.resolve("spool"));
        try (RunlogStore server = RunlogStore.open(tmp.resolve("server"));
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
             ScriptedImportServer http = new ScriptedImportServer(server, tmp.resolve("spool"), time::elapsedMillis)) {
            fill(harness);
            for (int i = 0; i < 12; i++) {
                http.then(i == 6 ? 503 : 500, i == 6 ? 90 : -1);
            }
            try (Sync sync = Sync.start(harness, new SyncOptions(http.uri(), "rlk_test").clock(time).sleeper(time).seed(3)
                .backoff(Duration.ofMillis(500), Duration.ofSeconds(60)))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
            }
            final List<ScriptedImportServer.Seen> posts = http.seen().stream().filter(s -> s.method().equals("POST")).toList();
            final RetryPolicy ceilings = new RetryPolicy(500_000_000L, 60_000_000_000L, 0);
            for (int i = 1; i <= 12; i++) {
                final long gap = posts.get(i).atMillis() - posts.get(i - 1).atMillis();
                if (i == 7) {
                    assertTrue(gap >= 90_000, "the 503's Retry-After of 90 s is a floor: " + gap);
                } else {
                    assertTrue(gap <= ceilings.ceilingNanos(i) / 1_000_000 + 1, "wait " + i + " of " + gap
                        + " ms over its ceiling");
                }
            }
            assertEquals(200, posts.get(12).answered());
            SyncFixtures.assertSameData(harness, server, "p", "e");
        }
    }

    @Test
    void aCommittedSegmentWhoseAnswerIsLostIsResentAndAddsNothing() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        Files.createDirectories(tmp.resolve("spool"));
        try (RunlogStore server = RunlogStore.open(tmp.resolve("server"));
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"));
             ScriptedImportServer http = new ScriptedImportServer(server, tmp.resolve("spool"), time::elapsedMillis)) {
            fill(harness);
            http.then(ScriptedImportServer.IMPORT_THEN_DROP, -1).then(ScriptedImportServer.IMPORT_THEN_DROP, -1)
                .then(ScriptedImportServer.IMPORT_THEN_DROP, -1);
            try (Sync sync = Sync.start(harness, new SyncOptions(http.uri(), "rlk_test").clock(time).sleeper(time)
                .seed(4).maxSegmentBytes(8192))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                assertTrue(sync.status().lastError() != null, "the lost answers were seen as errors");
            }
            SyncFixtures.assertSameData(harness, server, "p", "e");
        }
    }

    @Test
    void aServerRestoredEmptyIsRefilledFromItsOwnMarkNotTheClientsLocalOne() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        Files.createDirectories(tmp.resolve("spool"));
        try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
            fill(harness);
            try (RunlogStore server = RunlogStore.open(tmp.resolve("server"));
                 ScriptedImportServer http = new ScriptedImportServer(server, tmp.resolve("spool"), time::elapsedMillis);
                 Sync sync = Sync.start(harness, new SyncOptions(http.uri(), "rlk_test").clock(time).sleeper(time).seed(5))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)));
            }
            // the server is "restored from an old backup": it holds nothing; the client's local mark says everything
            try (Experiment e = harness.project("p").openExperiment("e")) {
                e.log("loss", 20_000, 0.0);
            }
            try (RunlogStore server = RunlogStore.open(tmp.resolve("server2"));
                 ScriptedImportServer http = new ScriptedImportServer(server, tmp.resolve("spool"), time::elapsedMillis)) {
                try (Sync sync = Sync.start(harness, new SyncOptions(http.uri(), "rlk_test").clock(time).sleeper(time)
                    .seed(6))) {
                    assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                }
                SyncFixtures.assertSameData(harness, server, "p", "e");
            }
        }
    }
}
