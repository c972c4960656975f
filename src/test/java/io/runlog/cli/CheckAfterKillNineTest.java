package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.lock.StoreHolderChild;
import io.runlog.store.PointRingLayout;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code runlog check} on the store of a process killed with SIGKILL: the ring it left is a note,
 * not damage (exit 0); a damaged byte in that ring is damage naming the ring (exit 1); and
 * {@code --repair} leaves a store that checks clean with every point the process logged.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CheckAfterKillNineTest {
    private static final int POINTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void shouldNoteTheRingOfAKilledProcessThenNameItsDamageAndRepairIt() throws IOException {
        final Path store = dir.resolve("store");
        final Path marker = dir.resolve("opened");
        try (ChildJvm.Child holder = ChildJvm.of(StoreHolderChild.class, dir).args(store, marker, POINTS).start()) {
            holder.await("marker " + marker, Duration.ofSeconds(90), () -> Files.exists(marker));
            holder.killNine();
        }
        final Path ring = store.resolve("projects/held/experiments/run/points.ring");
        assertTrue(Files.exists(ring), "a killed process leaves its ring");

        final CliRunner.Result crashed = CliRunner.run("check", "--dir", store.toString());
        assertEquals(0, crashed.exit(), crashed::toString);
        assertTrue(crashed.out().contains("not closed cleanly"), crashed::toString);

        try (RandomAccessFile f = new RandomAccessFile(ring.toFile(), "rw")) {
            final long at = PointRingLayout.HEADER_LENGTH + 100L * PointRingLayout.SLOT_LENGTH + PointRingLayout.CHECK_OFFSET;
            f.seek(at);
            final int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20);
        }
        final CliRunner.Result damaged = CliRunner.run("check", "--dir", store.toString());
        assertEquals(1, damaged.exit(), damaged::toString);
        assertTrue(damaged.out().contains("DAMAGE held/run: " + ring), damaged::toString);

        final CliRunner.Result repaired = CliRunner.run("check", "--dir", store.toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired::toString);
        assertFalse(Files.exists(ring), "recovered");
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project("held").openExperiment("run")) {
            final MetricSeries loss = e.readMetric("loss");
            // the damaged slot held a point only if the kill came before the drain took it: then it is
            // the one point skipped, and counted by the repair's recovery
            assertTrue(loss.size() == POINTS || loss.size() == POINTS - 1, "points: " + loss.size());
            for (int i = 0; i < loss.size(); i++) {
                assertEquals(loss.step(i) / 4.0, loss.value(i));
            }
        }
    }
}
