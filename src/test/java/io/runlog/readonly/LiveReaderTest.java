package io.runlog.readonly;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.OutputLine;
import io.runlog.RunlogStore;
import io.runlog.StoreLockedException;
import io.runlog.crash.CrashLedger;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read-only store watching a writer in another JVM ({@link LiveWriterChild}) that holds the
 * store lock and keeps logging: the reader sees what the writer drained, on the same handle as it
 * grows, always a consistent prefix (steps 0..n-1, bit-exact, never more than was acknowledged);
 * when the writer is SIGKILLed meanwhile the reader still reads consistently, and the next
 * read-write open recovers every acknowledged point, as after any crash.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiveReaderTest {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int READY = 20_000;

    @TempDir
    Path tmp;

    /** Checks that the metric is steps 0..n-1 exactly as the writer logged them; returns n. */
    static long consistentPrefix(final Experiment e) {
        final MetricSeries s = e.readMetric(LiveWriterChild.METRIC);
        for (int i = 0; i < s.size(); i++) {
            if (s.step(i) != i || s.timestamp(i) != LiveWriterChild.T0 + i
                || s.valueBits(i) != Double.doubleToRawLongBits(LiveWriterChild.value(i))) {
                throw new AssertionError("point " + i + " of " + s.size() + " is (" + s.step(i) + ", " + s.timestamp(i)
                    + ", " + s.value(i) + "), not what the writer logged");
            }
        }
        // every read refreshes, so a count taken after the series may be larger, never smaller
        assertTrue(e.pointCount() >= s.size(), "pointCount went back behind the series");
        return s.size();
    }

    static long consistentLines(final Experiment e) {
        final List<OutputLine> lines = e.outputLines();
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(LiveWriterChild.line(i), lines.get(i).text());
        }
        return lines.size();
    }

    @Test
    void shouldSeeWhatALiveWriterDrainsAsItGrowsAndStayConsistentWhenTheWriterIsKilled() {
        final Path store = tmp.resolve("store");
        final Path ledgerFile = tmp.resolve("ledger");
        final long acked;
        final long ackedLines;
        try (CrashLedger ledger = CrashLedger.map(ledgerFile);
             ChildJvm.Child writer = ChildJvm.of(LiveWriterChild.class, tmp).args(store, ledgerFile, READY).start()) {
            writer.await("the writer's first " + READY + " points synced", STARTUP,
                () -> ledger.phase() == CrashLedger.Phase.LOGGING);
            assertThrows(StoreLockedException.class, () -> RunlogStore.open(store), "the writer holds the store");
            try (RunlogStore ro = RunlogStore.openReadOnly(store);
                 Experiment e = ro.project(LiveWriterChild.PROJECT).openExperiment(LiveWriterChild.KEY)) {
                final long first = consistentPrefix(e);
                assertTrue(first >= READY, "the reader sees " + first + " points, the writer synced " + READY);
                assertTrue(consistentLines(e) >= 1);
                final long[] seen = {first};
                writer.await("the reader seeing 20,000 more points on the same handle", Duration.ofSeconds(60), () -> {
                    final long n = consistentPrefix(e);
                    assertTrue(n >= seen[0], "the reader went back from " + seen[0] + " to " + n + " points");
                    assertTrue(n <= ledger.acknowledged(0, 0) + 1, n + " points seen, more than acknowledged");
                    seen[0] = n;
                    return n >= first + 20_000;
                });
                final long lines = consistentLines(e);
                assertTrue(lines >= 20, "only " + lines + " output lines seen after " + seen[0] + " points");
                writer.killNine();
                acked = ledger.acknowledged(0, 0);
                ackedLines = ledger.acknowledged(0, 1);
                final long afterKill = consistentPrefix(e);
                assertTrue(afterKill >= seen[0] && afterKill <= acked + 1, afterKill + " points after the kill");
                consistentLines(e);
                System.out.printf("LiveReaderTest: the reader saw %d points on open, %d while the writer logged, %d"
                    + " after SIGKILL; the writer had acknowledged %d%n", first, seen[0], afterKill, acked);
                try (RunlogStore again = RunlogStore.openReadOnly(store);
                     Experiment e2 = again.project(LiveWriterChild.PROJECT).openExperiment(LiveWriterChild.KEY)) {
                    assertEquals(afterKill, consistentPrefix(e2), "two readers of a dead writer's store disagree");
                }
            }
        }
        try (RunlogStore rw = RunlogStore.open(store);
             Experiment e = rw.project(LiveWriterChild.PROJECT).openExperiment(LiveWriterChild.KEY)) {
            final long recovered = consistentPrefix(e);
            // a kill between log() returning and the ledger store leaves one point more than acknowledged
            assertTrue(recovered == acked || recovered == acked + 1,
                "read-write reopen holds " + recovered + " points, " + acked + " were acknowledged");
            final long lines = consistentLines(e);
            assertTrue(lines == ackedLines || lines == ackedLines + 1, lines + " lines, " + ackedLines + " acknowledged");
            System.out.printf("LiveReaderTest: read-write reopen recovered %d points from the ring, holds %d%n",
                e.recoveredPoints(), recovered);
        }
    }
}
