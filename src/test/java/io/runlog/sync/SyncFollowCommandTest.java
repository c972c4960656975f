package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.cli.RunlogCommand;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.testing.ChildJvm;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code runlog sync --follow} in its own JVM ships what this process keeps logging into the store it holds. */
class SyncFollowCommandTest {
    @TempDir
    Path tmp;

    private static long serverPoints(final TestSyncServer server) {
        final RunlogStore s = server.store();
        if (!s.projects().stream().anyMatch(p -> p.name().equals("p"))
            || !s.project("p").experimentKeys().contains("e")) {
            return 0;
        }
        try (Experiment e = s.project("p").openExperiment("e")) {
            return e.pointCount();
        }
    }

    @Test
    void syncFollowShipsWhileAnotherProcessLogsIntoTheStore() throws Exception {
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p"));
        final Path dir = tmp.resolve("harness");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
                 new ServerOptions()).start();
             RunlogStore writer = RunlogStore.open(dir);
             Experiment e = writer.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            e.sourceId();
            final MetricHandle loss = e.metric("loss");
            for (int i = 0; i < 30_000; i++) {
                loss.log(i, 1.0 / (1 + i));
            }
            e.sync();
            try (ChildJvm.Child follower = ChildJvm.of(RunlogCommand.class, tmp).args("sync", "--follow", "--dir", dir,
                "--server", server.uri(), "--api-key-file", keyFile).start()) {
                follower.await("the first 30,000 points on the server", Duration.ofMinutes(2),
                    () -> serverPoints(server) == 30_000);
                for (int i = 30_000; i < 80_000; i++) {
                    loss.log(i, 1.0 / (1 + i));
                }
                e.sync();
                follower.await("the next 50,000 points on the server", Duration.ofMinutes(2),
                    () -> serverPoints(server) == 80_000);
            }
            assertEquals(80_000, serverPoints(server));
            try (Experiment onServer = server.store().project("p").openExperiment("e")) {
                SyncFixtures.assertSameData(e, onServer);
            }
        }
    }
}
