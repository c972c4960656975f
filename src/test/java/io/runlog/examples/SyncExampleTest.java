package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.SyncStatus;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the sync examples against {@code runlog serve}'s server on loopback. */
class SyncExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theReadmeHarnessSyncsWhileItLogsAndTheDocsExampleReportsNoLag() throws Exception {
        final String key = ApiKeys.add(tmp.resolve("keys"), "vision");
        try (SyncServer server = SyncServer.start(tmp.resolve("server"), new StoreOptions(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tmp.resolve("keys"), new ServerOptions(), null,
            null)) {
            final URI uri = URI.create("http://127.0.0.1:" + server.port());
            final double[] v = {1};
            assertTrue(SyncExample.harness(tmp.resolve("harness"), uri, key, 50_000, () -> v[0] *= 0.9999));
            final SyncStatus s = SyncExample.withStatus(tmp.resolve("harness2"), uri, key);
            assertTrue(s.synced(), s.toString());
            assertEquals(0, s.lagPoints());
        }
        try (RunlogStore onServer = RunlogStore.open(tmp.resolve("server"));
             Experiment e = onServer.project("vision").openExperiment("resnet-01")) {
            assertEquals(50_000, e.pointCount());
        }
    }
}
