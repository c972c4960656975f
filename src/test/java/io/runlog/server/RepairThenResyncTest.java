package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.archive.ImportMarkRepair;
import io.runlog.cli.RepairThenReimportTest;
import io.runlog.internal.StoreAccess;
import io.runlog.store.ExperimentCheck;
import io.runlog.store.Salvage;
import io.runlog.store.StoreCheck;
import io.runlog.store.StoreEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * After {@code check --repair} cut a sync server's experiment, the server's mark ({@code GET
 * .../segments}) says what it really holds, so the client resends exactly the lost rest.
 */
class RepairThenResyncTest {
    @TempDir
    Path dir;

    private static long upload(final HttpClient c, final String url, final String key, final Experiment e)
        throws Exception {
        long added = 0;
        while (true) {
            final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, url + "?source=" + e.sourceId(), key).body());
            final IncrementResult[] inc = new IncrementResult[1];
            final HttpResponse<String> r = ServerFixture.post(c, url, key,
                ServerFixture.increment(e, mark, new IncrementOptions().maxBytes(16 << 10), inc));
            assertEquals(200, r.statusCode(), r.body());
            added += Long.parseLong(r.headers().firstValue("Runlog-Points-Added").orElseThrow());
            if (inc[0].complete()) {
                return added;
            }
        }
    }

    @Test
    void shouldAnswerTheHeldMarkAfterARepairSoTheClientResendsExactlyTheLostPoints() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < 20_000; i++) {
                e.log("train/loss", i, 1_700_000_000_000L + i, i % 97 == 0 ? Double.NaN : 1.0 / (i + 1));
                e.log("acc", i, 1_700_000_000_000L + i, i / 1000.0);
            }
            e.sync();
            final HttpClient c = ServerFixture.client();
            try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions())) {
                assertEquals(40_000, upload(c, ServerFixture.segments(server, "p", "run"), key, e));
            }
            RepairThenReimportTest.flipNearTheEnd(dir.resolve("server-store/projects/p/experiments/run"), 8_000);
            final long held;
            final List<String> actions;
            try (RunlogStore s = RunlogStore.open(dir.resolve("server-store"), ServerFixture.storeOptions())) {
                final StoreEngine engine = StoreAccess.engine(s);
                final ExperimentCheck check = StoreCheck.experiment(engine, "p", "run");
                assertTrue(check.damaged(), "the flipped byte is found");
                actions = Salvage.repair(engine, check, "t", List.of(new ImportMarkRepair())).actions();
                try (Experiment x = s.project("p").openExperiment("run")) {
                    held = x.pointCount();
                }
            }
            assertTrue(held < 40_000, "the cut removed points: " + held + " " + actions);
            try (SyncServer server = ServerFixture.start(dir, keys, new ServerOptions())) {
                final String url = ServerFixture.segments(server, "p", "run");
                final HighWaterMark mark = HighWaterMark.fromJson(ServerFixture.get(c, url + "?source=" + e.sourceId(), key).body());
                try (Experiment x = server.store().project("p").openExperiment("run")) {
                    for (final var m : x.metrics()) {
                        assertEquals(m.count(), mark.metrics().get(m.name()), "the mark of " + m.name() + " is what is held");
                    }
                }
                assertEquals(40_000 - held, upload(c, url, key, e), "the client resends exactly the lost points");
                SegmentUploadTest.assertSameData(e, server.store());
                assertEquals(0, upload(c, url, key, e), "then nothing more");
                assertTrue(actions.stream().anyMatch(a -> a.startsWith("lowered the import marks of source " + e.sourceId())),
                actions::toString);
            }
        }
    }
}
