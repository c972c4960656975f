package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import io.runlog.gate.DataType;
import io.runlog.gate.RateLimits;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segments are bounded for every data type, by bytes and by entries, so that no backlog of small
 * non-metric entries can make a segment that the server refuses for good (413).
 */
class SegmentBoundsTest {
    private static final int LINES = 100_000;

    @TempDir
    Path tmp;

    @Test
    void aBacklogOf100kOutputLinesShipsThroughASmallBodyLimitInSegmentsThatFitIt() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        final long bodyLimit = 16 << 10;
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, time::epochMillis, null,
                 new ServerOptions().maxBodyBytes(bodyLimit)).start();
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
            try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                for (int i = 0; i < LINES; i++) {
                    e.logOutput(OutputChannel.STDOUT, "epoch " + i / 1000 + " batch " + i + ": ok");
                }
                e.logParameter("lr", 0.1);
                e.log("loss", 0, 1.0);
            }
            final SyncStatus st;
            try (Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).follow(false).clock(time).sleeper(time)
                .seed(3))) {
                assertTrue(sync.join(Duration.ofMinutes(3)), () -> sync.status().toString());
                st = sync.status();
            }
            assertNull(st.failure(), st::toString);
            assertTrue(st.synced(), st::toString);
            SyncFixtures.assertSameData(harness, server.store(), "p", "e");
            final long segments = st.segmentsAcknowledged();
            // every segment after the first refusal fits the limit: the bytes sent are about the data, not retries of 4 MiB
            assertTrue(st.sentBytes() < 4L * (4 << 20), st::toString);
            assertTrue(segments >= 2_000_000L / bodyLimit / 8, "many small segments: " + st);
            System.out.printf("100k output lines through a %,d-byte body limit: %,d segments, %,d requests, %,d bytes%n",
                bodyLimit, segments, st.attempts(), st.sentBytes());
        }
    }

    @Test
    void outputLinesSmallerThanTheirRateLimitAllowsInFourKibAreShippedInSegmentsOfTheLimitsEntries() throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        final Path keys = tmp.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        // 4 KiB (the smallest segment) holds about 400 of these lines: more than a minute admits
        final RateLimits limits = new RateLimits().perMinute(DataType.OUTPUT, 150);
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, time::epochMillis, limits,
                 new ServerOptions()).start();
             RunlogStore harness = RunlogStore.open(tmp.resolve("harness"))) {
            try (Experiment e = harness.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                for (int i = 0; i < 1_500; i++) {
                    e.logOutput(OutputChannel.STDOUT, "ok " + i);
                }
            }
            final SyncStatus st;
            try (Sync sync = Sync.start(harness, new SyncOptions(server.uri(), key).follow(false).clock(time).sleeper(time)
                .seed(4))) {
                assertTrue(sync.join(Duration.ofMinutes(3)), () -> sync.status().toString());
                st = sync.status();
            }
            assertNull(st.failure(), st::toString);
            assertTrue(st.synced(), "no permanent 413: " + st);
            SyncFixtures.assertSameData(harness, server.store(), "p", "e");
        }
    }

    @Test
    void maxEntriesBoundsEveryTypeOfEntryInAnIncrement() throws Exception {
        try (RunlogStore store = RunlogStore.open(tmp.resolve("s"));
             Experiment e = store.projectOrCreate("p", ProjectKind.LLM).openOrCreateExperiment("e")) {
            for (int i = 0; i < 100; i++) {
                e.logOutput(OutputChannel.STDOUT, "l" + i);
                e.logParameter("p" + i, i);
                e.logPrompt("q" + i, "a" + i, java.util.Map.of());
            }
            for (final DataType t : new DataType[] {DataType.OUTPUT, DataType.PARAMETERS, DataType.OTHER}) {
                HighWaterMark from = HighWaterMark.EMPTY;
                int increments = 0;
                long entries = 0;
                while (true) {
                    final IncrementResult r = e.exportIncrement(new ByteArrayOutputStream(), from,
                        new IncrementOptions().only(t).maxEntries(7));
                    if (r.isEmpty()) {
                        break;
                    }
                    assertTrue(r.entries() <= 7, t + ": " + r.entries());
                    entries += r.entries();
                    from = r.to();
                    increments++;
                }
                assertEquals(100, entries, t.toString());
                assertEquals(15, increments, t.toString());
            }
            assertThrows(io.runlog.InvalidValueException.class, () -> new IncrementOptions().maxEntries(0));
        }
    }
}
