package io.runlog.server;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server whose disk falls below its reserve answers 503 with Retry-After; once space is back the resend completes, once. */
class ServerStorageFullTest {
    @TempDir
    Path dir;

    @Test
    void shouldAnswer503WhenTheDiskIsFullAndCompleteTheResendOnceSpaceIsBack() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final AtomicLong free = new AtomicLong(Long.MAX_VALUE / 4);
        final FaultyFileSystem fs = new FaultyFileSystem().onUsableSpace((path, real) -> free.get());
        try (SyncServer s = SyncServer.start(dir.resolve("server"),
                StoreAccess.fileSystem(ServerFixture.storeOptions().diskReserveBytes(1 << 20), fs),
                new InetSocketAddress("127.0.0.1", 0), keys, new ServerOptions(), null, null);
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(s, "p", "run");
            for (int i = 0; i < 1_000; i++) {
                e.log("a", i, i);
            }
            assertEquals(200, ServerFixture.post(c, url, key,
                ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null)).statusCode());
            for (int i = 0; i < 1_000; i++) {
                e.log("b", i, -i);
                e.logParameter("p" + (i % 10), i);
            }
            final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, url, key).body());
            final byte[] next = ServerFixture.increment(e, mark, new IncrementOptions(), null);
            free.set(1000); // below the reserve
            final HttpResponse<String> full = ServerFixture.post(c, url, key, next);
            assertEquals(503, full.statusCode(), full.body());
            assertTrue(full.body().contains("storage-full"), full.body());
            assertEquals("60", full.headers().firstValue("Retry-After").orElse(""));
            assertEquals(mark, HighWaterMark.fromJson(ServerFixture.get(c, url, key).body()), "the mark did not move");
            free.set(Long.MAX_VALUE / 4);
            final HttpResponse<String> again = ServerFixture.post(c, url, key, next);
            assertEquals(200, again.statusCode(), again.body());
            SegmentUploadTest.assertSameData(e, s.store());
        }
    }
}
