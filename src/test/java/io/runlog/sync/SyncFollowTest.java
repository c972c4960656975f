package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sync that follows a store read-only while a writer keeps logging into it (what {@code runlog sync --follow} does). */
class SyncFollowTest {
    @TempDir
    Path tmp;

    @Test
    void aReadOnlyFollowerShipsWhatTheWriterLogsAndWritesNothingIntoTheStoreButItsMarks() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        Files.createDirectories(tmp.resolve("spool"));
        final Path dir = tmp.resolve("harness");
        try (RunlogStore server = RunlogStore.open(tmp.resolve("server"));
             ScriptedImportServer http = new ScriptedImportServer(server, tmp.resolve("spool"), time::elapsedMillis);
             RunlogStore writer = RunlogStore.open(dir);
             Experiment e = writer.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            e.sourceId();   // the writer names its source once; a follower cannot create it
            for (int i = 0; i < 10_000; i++) {
                e.log("loss", i, 1.0 / (1 + i));
            }
            e.sync();
            try (RunlogStore follower = RunlogStore.openReadOnly(dir);
                 Sync sync = Sync.start(follower, new SyncOptions(http.uri(), "rlk_test").clock(time).sleeper(time).seed(8))) {
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
                for (int i = 10_000; i < 25_000; i++) {
                    e.log("loss", i, 1.0 / (1 + i));
                }
                e.logParameter("lr", 0.1);
                e.sync();
                assertTrue(sync.awaitSynced(Duration.ofMinutes(1)), () -> sync.status().toString());
            }
            try (Experiment onServer = server.project("p").openExperiment("e")) {
                SyncFixtures.assertSameData(e, onServer);
            }
            assertTrue(Files.isDirectory(dir.resolve(MarkStore.DEFAULT_DIR)));
        }
    }
}
