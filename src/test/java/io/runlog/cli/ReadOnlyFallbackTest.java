package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ReadOnlyOpenTest;
import io.runlog.RunlogStore;
import io.runlog.StorageFullException;
import io.runlog.crash.CrashLedger;
import io.runlog.readonly.LiveWriterChild;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read commands (status, metrics, series, stats, plot, export) fall back to a read-only open
 * by themselves, with one line on standard error: while another process (a harness in a child
 * JVM) holds the store, and below the disk reserve, where a read-write open would have to write
 * a dead writer's pending points first (issue 13, defect 5).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReadOnlyFallbackTest {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int READY = 5_000;

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private ChildJvm.Child startWriter(final CrashLedger ledger, final Path ledgerFile, final String mode) {
        final ChildJvm.Child writer = ChildJvm.of(LiveWriterChild.class, tmp).args(store(), ledgerFile, READY, mode).start();
        writer.await("the writer ready", STARTUP, () -> ledger.phase() == CrashLedger.Phase.LOGGING);
        return writer;
    }

    /** Every read command on the writer's experiment, each with {@code extra} options. */
    private Map<String, CliRunner.Result> readAll(final String... extra) {
        final String dir = store().toString();
        final List<String> e = List.of("--dir", dir, "--project", LiveWriterChild.PROJECT, "--experiment", LiveWriterChild.KEY);
        final Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("status", cat(List.of("status"), e));
        commands.put("metrics", cat(List.of("metrics"), e));
        commands.put("series", cat(List.of("series", "--metric", LiveWriterChild.METRIC), e));
        commands.put("stats", List.of("stats", "--dir", dir));
        commands.put("plot", cat(List.of("plot", "--metric", LiveWriterChild.METRIC, "-o", tmp.resolve("loss.png").toString()), e));
        commands.put("export", cat(List.of("export", "-o", tmp.resolve("out.rla").toString()), e));
        final Map<String, CliRunner.Result> results = new LinkedHashMap<>();
        commands.forEach((name, args) -> results.put(name, CliRunner.run(cat(args, List.of(extra)).toArray(String[]::new))));
        return results;
    }

    private static List<String> cat(final List<String> a, final List<String> b) {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertReadReadOnly(final Map<String, CliRunner.Result> results, final String why) {
        results.forEach((name, r) -> {
            assertEquals(0, r.exit(), () -> name + ": " + r);
            final long notes = r.err().lines().filter(l -> l.startsWith(why + "; reading read-only")).count();
            assertEquals(1, notes, () -> name + " should say once on stderr why it reads read-only: " + r);
            assertTrue(!r.out().contains("read-only"), () -> name + " put the note on stdout: " + r);
        });
    }

    private static long seriesRows(final CliRunner.Result series) {
        return series.out().lines().count() - 1; // minus the header
    }

    @Test
    void shouldReadAStoreAnotherProcessHoldsReadOnlyAndSaySoInOneLine() throws Exception {
        final Path ledgerFile = tmp.resolve("ledger");
        try (CrashLedger ledger = CrashLedger.map(ledgerFile);
             ChildJvm.Child writer = startWriter(ledger, ledgerFile, "live")) {
            final Map<String, CliRunner.Result> results = readAll();
            assertReadReadOnly(results, "store is held by another process");
            assertTrue(seriesRows(results.get("series")) >= READY, results.get("series").err());
            assertTrue(results.get("status").out().contains("metrics:"), results.get("status")::toString);
            assertTrue(Files.size(tmp.resolve("loss.png")) > 0 && Files.size(tmp.resolve("out.rla")) > 0);
            assertTrue(writer.process().isAlive(), "the writer died while the commands read its store");
            writer.killNine();
        }
    }

    @Test
    void shouldReadBelowTheDiskReserveWithoutWritingTheDeadWritersPendingPoints() {
        final Path ledgerFile = tmp.resolve("ledger");
        final long acked;
        try (CrashLedger ledger = CrashLedger.map(ledgerFile);
             ChildJvm.Child writer = startWriter(ledger, ledgerFile, "pending")) {
            writer.killNine();
            acked = ledger.acknowledged(0, 0);
        }
        assertEquals(READY + LiveWriterChild.PENDING, acked);
        // what the read commands did before: a read-write open, which must write the pending points first
        try (RunlogStore rw = RunlogStore.open(store(), CliRunner.options().diskReserveBytes(1L << 50))) {
            assertThrows(StorageFullException.class,
                () -> rw.project(LiveWriterChild.PROJECT).openExperiment(LiveWriterChild.KEY));
        }
        final Map<String, String> before = ReadOnlyOpenTest.snapshotOf(store());
        final Map<String, CliRunner.Result> results = readAll("--disk-reserve", "1000000G");
        assertReadReadOnly(results, "disk space is below the reserve");
        assertEquals(READY, seriesRows(results.get("series")), "the drained points, not the ring's");
        assertEquals(before, ReadOnlyOpenTest.snapshotOf(store()), "a read below the reserve changed the store");
        try (RunlogStore rw = RunlogStore.open(store(), CliRunner.options());
             Experiment e = rw.project(LiveWriterChild.PROJECT).openExperiment(LiveWriterChild.KEY)) {
            assertEquals(acked, e.pointCount(), "the read-write open recovers the pending points as before");
            assertEquals(LiveWriterChild.PENDING, e.recoveredPoints());
        }
    }
}
