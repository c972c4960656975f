package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.store.StoreLayout;
import io.runlog.testing.ChildJvm;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read-only follower cannot create an experiment's archive source identity, so the experiment
 * must have it from its creation: a follower of a store that another process writes ships from
 * the start, without the writer ever exporting or asking for its {@code sourceId()}.
 */
class FollowerSourceIdTest {
    @TempDir
    Path tmp;

    @Test
    void anExperimentHasItsSourceIdFromCreationSoAFollowerOfAnotherProcessShipsAtOnce() throws Exception {
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final Path dir = tmp.resolve("harness");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
                 new ServerOptions()).start();
             ChildJvm.Child writer = ChildJvm.of(FollowedWriterChild.class, tmp).args(dir, 20_000).start()) {
            writer.await("the writer's 20,000 points", Duration.ofMinutes(2), () -> writer.output().contains("logged 20000"));
            try (RunlogStore follower = RunlogStore.openReadOnly(dir)) {
                assertTrue(Files.isRegularFile(StoreLayout.sourceIdFile(StoreLayout.experimentDir(dir, "p", "e"))),
                    "created with the experiment");
                try (Sync sync = Sync.start(follower, new SyncOptions(server.uri(), key).follow(false))) {
                    assertTrue(sync.join(Duration.ofMinutes(2)), () -> sync.status().toString());
                    assertTrue(sync.status().synced(), () -> sync.status().toString());
                    assertEquals(20_000, sync.status().acknowledgedPoints(), () -> sync.status().toString());
                }
                try (Experiment local = follower.project("p").openExperiment("e");
                     Experiment onServer = server.store().project("p").openExperiment("e")) {
                    SyncFixtures.assertSameData(local, onServer);
                    assertEquals(local.sourceId(), onServer.sourceId(), "the server's copy carries the writer's identity");
                }
            }
            writer.killNine();
        }
    }

    @Test
    void anImportedExperimentKeepsItsSourcesIdentityNotANewOne() throws Exception {
        try (RunlogStore a = RunlogStore.open(tmp.resolve("a"));
             RunlogStore b = RunlogStore.open(tmp.resolve("b"))) {
            final String id;
            try (Experiment e = a.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                e.log("loss", 0, 1.0);
                e.sync();
                id = e.sourceId();
            }
            a.exportExperiment("p", "e", tmp.resolve("e.rla"));
            b.importArchive(tmp.resolve("e.rla"));
            try (Experiment copy = b.project("p").openExperiment("e")) {
                assertEquals(id, copy.sourceId());
            }
        }
    }
}
