package io.runlog.cli;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.store.DiskSpaceGuard;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.PointRing;
import io.runlog.store.PointRingLayout;
import io.runlog.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A counted ring skip is a reported loss, not a silent one: the slots that recovery of a crashed
 * experiment's ring skips as damaged stay counted after the ring is gone
 * ({@code ring-loss.properties}): {@code Experiment.skippedRingSlots()} across reopens,
 * {@code runlog status}, and {@code runlog check}, which reports it as damage and exits 1 until
 * {@code --repair} moves the record aside (acknowledged in its report, never deleted).
 */
class RingLossReportTest {
    private static final int SLOTS = 64;
    private static final int LOGGED = 10;
    private static final int IN_RING = 20;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private Path store() {
        return dir.resolve("store");
    }

    private StoreOptions options() {
        return CliRunner.options().ringCapacity(SLOTS);
    }

    /** A closed experiment of LOGGED points, then the ring a process killed while logging IN_RING more leaves, one slot flipped. */
    private Path crashedWithOneDamagedSlot() throws IOException {
        final Path exp;
        try (RunlogStore s = RunlogStore.open(store(), options());
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int i = 0; i < LOGGED; i++) {
                e.metric("m").log(i, T0 + i, i * 0.5);
            }
            exp = e.directory();
        }
        final Path file = StoreLayout.ringFile(exp);
        final PointRing ring = PointRing.create(file, FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, exp, 0), SLOTS, LOGGED);
        for (int i = 0; i < IN_RING; i++) {
            final long p = ring.tryClaim();
            ring.commit(p, 0, LOGGED + i, T0 + LOGGED + i, Double.doubleToRawLongBits(i + 0.25));
        }
        ring.unmap();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            final long at = PointRingLayout.slotOffset(LOGGED + 3, SLOTS - 1) + 20; // in the value of one committed slot
            f.seek(at);
            final int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        return exp;
    }

    @Test
    void shouldKeepCountingTheSkippedSlotsAfterTheRingIsGoneAndTheExperimentReopened() throws IOException {
        final Path exp = crashedWithOneDamagedSlot();
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(IN_RING - 1, e.recoveredPoints());
            assertEquals(1, e.skippedRingSlots());
        }
        assertFalse(Files.exists(StoreLayout.ringFile(exp)), "the recovered ring is deleted");
        assertTrue(Files.exists(StoreLayout.ringLossFile(exp)), "the loss is recorded before the ring goes");
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(0, e.recoveredPoints(), "nothing left to recover");
            assertEquals(1, e.skippedRingSlots(), "the loss is still reported after reopening");
            assertEquals(LOGGED + IN_RING - 1, e.pointCount());
        }
        try (RunlogStore s = RunlogStore.openReadOnly(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(1, e.skippedRingSlots(), "and to a read-only reader");
        }
    }

    @Test
    void shouldShowTheRingLossInStatus() throws IOException {
        crashedWithOneDamagedSlot();
        final CliRunner.Result r = CliRunner.run("status", "--dir", store().toString(), "--project", "p", "--experiment", "e");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("ring loss:        1 ring slots skipped by recovery"), r.out());
    }

    @Test
    void shouldReportARingLossAsDamageUntilRepairAcknowledgesIt() throws IOException {
        final Path exp = crashedWithOneDamagedSlot();
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(1, e.skippedRingSlots()); // recovered: the ring is gone, only the record tells
        }
        final CliRunner.Result check = CliRunner.run("check", "--dir", store().toString());
        assertEquals(1, check.exit(), check.out());
        assertTrue(check.out().contains("DAMAGE p/e: " + StoreLayout.ringLossFile(exp) + ": 1 ring slots were skipped by 1"
            + " recoveries"), check.out());

        final CliRunner.Result repair = CliRunner.run("check", "--dir", store().toString(), "--repair");
        assertEquals(0, repair.exit(), repair.out() + repair.err());
        assertFalse(Files.exists(StoreLayout.ringLossFile(exp)));
        final List<Path> aside;
        try (Stream<Path> files = Files.walk(store().resolve(StoreLayout.SALVAGE_DIR))) {
            aside = files.filter(f -> f.getFileName().toString().equals(StoreLayout.RING_LOSS_FILE)
                || f.getFileName().toString().equals(StoreLayout.SALVAGE_REPORT)).sorted().toList();
        }
        assertEquals(2, aside.size(), "the record moved aside, never deleted, and a report: " + aside);
        assertTrue(Files.readString(aside.get(0)).contains("1 ring slots skipped by 1 recoveries, their points lost"),
            Files.readString(aside.get(0)));
        assertEquals(0, CliRunner.run("check", "--dir", store().toString()).exit());
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(0, e.skippedRingSlots(), "acknowledged");
            assertEquals(LOGGED + IN_RING - 1, e.pointCount());
        }
    }

    @Test
    void shouldRepairADamagedRingInOneGoRecordingAndAcknowledgingItsLoss() throws IOException {
        final Path exp = crashedWithOneDamagedSlot();
        final CliRunner.Result check = CliRunner.run("check", "--dir", store().toString());
        assertEquals(1, check.exit(), check.out());
        assertTrue(check.out().contains("1 damaged or torn slots"), check.out());
        final CliRunner.Result repair = CliRunner.run("check", "--dir", store().toString(), "--repair");
        assertEquals(0, repair.exit(), repair.out() + repair.err());
        assertFalse(Files.exists(StoreLayout.ringFile(exp)));
        assertFalse(Files.exists(StoreLayout.ringLossFile(exp)));
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(LOGGED + IN_RING - 1, e.pointCount());
        }
    }

    @Test
    void shouldRefuseADamagedLossRecordNamingIt() throws IOException {
        final Path exp = crashedWithOneDamagedSlot();
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(1, e.skippedRingSlots());
        }
        final Path record = StoreLayout.ringLossFile(exp);
        Files.writeString(record, Files.readString(record).replace("skippedSlots=1", "skippedSlots=0"));
        try (RunlogStore s = RunlogStore.open(store(), options()); Experiment e = s.project("p").openExperiment("e")) {
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, e::skippedRingSlots);
            assertTrue(x.getMessage().contains(record.toString()), x.getMessage());
        }
        final CliRunner.Result check = CliRunner.run("check", "--dir", store().toString());
        assertEquals(1, check.exit());
        assertTrue(check.out().contains("DAMAGE p/e: " + record), check.out());
    }
}
