package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.RunlogStore;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.testing.ChildJvm;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sync embedded in a harness that runs in a child JVM: a long outage on a small heap, and kill -9. */
class SyncChildJvmTest {
    /** The heap the outage child gets: the client's memory bound for a backlog larger than it. */
    static final long HEAP_BOUND = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void aFortyMinuteOutageWhileA64MegabyteHarnessLogsTenMillionPointsEndsWithEverythingOnTheServer() throws Exception {
        final long points = Long.getLong("runlog.sync.outagePoints", 10_000_000L);
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p"));
        final TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions());
        server.start();
        final int port = server.port();
        server.stop();   // the outage: nothing listens on the port
        final Path harness = tmp.resolve("harness");
        try (server;
             ChildJvm.Child child = ChildJvm.of(SyncChild.class, tmp).jvmArg("-Xmx64m")
                 .args("outage", harness, "http://127.0.0.1:" + port, keyFile, points).start()) {
            child.await("40 simulated minutes of outage and all points logged", Duration.ofMinutes(5),
                () -> child.output().contains("OUTAGE-40MIN") && child.output().contains("LOGGED " + points));
            final long backlog = sizeOf(harness);
            server.start();
            try (OutputStream in = child.process().getOutputStream()) {
                in.write("server is back\n".getBytes(StandardCharsets.UTF_8));
            }
            child.await("synced", Duration.ofMinutes(10), () -> child.output().contains("SYNCED "));
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.output());
            final String out = child.output();
            final Matcher attempts = Pattern.compile("OUTAGE-40MIN attempts=(\\d+)").matcher(out);
            assertTrue(attempts.find(), out);
            final Matcher peak = Pattern.compile("PEAK-HEAP (\\d+)").matcher(out);
            assertTrue(peak.find(), out);
            final long peakHeap = Long.parseLong(peak.group(1));
            final Matcher old = Pattern.compile("PEAK-OLD (-?\\d+)").matcher(out);
            assertTrue(old.find(), out);
            System.out.printf("outage: %d attempts in 40 simulated minutes; backlog %d bytes on disk; client heap pools'"
                + " peaks summed %d bytes, old generation peak %s bytes (bound %d)%n", Long.parseLong(attempts.group(1)),
                backlog, peakHeap, old.group(1), HEAP_BOUND);
            assertTrue(Long.parseLong(attempts.group(1)) >= 40, "kept retrying through the outage: " + out);
            assertTrue(peakHeap <= HEAP_BOUND, "client heap " + peakHeap);
            if (points >= 10_000_000L) {
                assertTrue(backlog > HEAP_BOUND, "the backlog (" + backlog + " bytes) outgrew the heap: the store is the spool");
            }
            assertTrue(out.contains("SYNCED " + points), out);
            try (RunlogStore h = RunlogStore.open(harness)) {
                SyncFixtures.assertSameData(h, server.store(), "p", "e");
                try (Experiment e = server.store().project("p").openExperiment("e")) {
                    assertEquals(points, e.pointCount());
                }
            }
        }
    }

    @Test
    void killNineOfTheHarnessMidUploadThenARestartLeavesTheServerWithExactlyWhatTheHarnessAcknowledgedOnce()
        throws Exception {
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p"));
        final Path harness = tmp.resolve("harness");
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final String url = server.uri().toString();
            try (ChildJvm.Child child = ChildJvm.of(SyncChild.class, tmp).args("log", harness, url, keyFile).start()) {
                child.await("uploads acknowledged while logging", Duration.ofMinutes(3),
                    () -> server.exchanges().stream().filter(x -> "POST".equals(x.method()) && x.status() == 200).count() >= 5
                        && child.output().contains("LOGGED 1000000"));
                child.killNine();
            }
            try (ChildJvm.Child child = ChildJvm.of(SyncChild.class, tmp).args("finish", harness, url, keyFile).start()) {
                child.await("synced after the restart", Duration.ofMinutes(5), () -> child.output().contains("SYNCED "));
                assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.output());
            }
            try (RunlogStore h = RunlogStore.open(harness)) {
                SyncFixtures.assertSameData(h, server.store(), "p", "e");
                try (Experiment e = h.project("p").openExperiment("e")) {
                    System.out.println("kill -9: harness acknowledged " + e.pointCount() + " points; the server holds the"
                        + " same, once");
                }
            }
        }
    }

    private static long sizeOf(final Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
