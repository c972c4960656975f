package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncAuthException;
import io.runlog.SyncOptions;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncAuthTest {
    @TempDir
    Path tmp;

    private SyncAuthException refusal(final String key, final TestSyncServer server) throws Exception {
        try (RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
            try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                e.log("loss", 0, 1.0);
            }
            try (Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).seed(1))) {
                final SyncAuthException ex = assertThrows(SyncAuthException.class,
                    () -> sync.awaitSynced(Duration.ofMinutes(1)));
                assertEquals(ex, sync.status().failure());
                assertFalse(ex.getMessage().contains(key), "the key is never in a message");
                assertFalse(String.valueOf(sync.status().lastError()).contains(key));
                return ex;
            }
        }
    }

    @Test
    void anUnknownKeyIsA401SyncAuthExceptionAndTheServerStoresNothing() throws Exception {
        final Path keys = tmp.resolve("keys");
        ApiKeys.add(keys, "p");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final SyncAuthException ex = refusal("rlk_not-a-key-of-this-server", server);
            assertEquals(401, ex.status());
            assertTrue(ex.getMessage().contains("401") && ex.getMessage().contains(server.uri().toString()), ex.getMessage());
            assertTrue(server.store().projects().isEmpty(), "nothing stored");
        }
    }

    @Test
    void anotherProjectsKeyIsA403SyncAuthExceptionAndTheServerStoresNothing() throws Exception {
        final Path keys = tmp.resolve("keys");
        final String other = ApiKeys.add(keys, "other");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final SyncAuthException ex = refusal(other, server);
            assertEquals(403, ex.status());
            assertTrue(ex.getMessage().contains("'p'"), ex.getMessage());
            assertTrue(server.store().projects().isEmpty(), "nothing stored");
        }
    }
}
