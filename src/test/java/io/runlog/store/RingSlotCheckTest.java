package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ring format 2: every committed slot carries a 32-bit check over its fields and its position, so
 * that recovery of a ring left by a crash appends exactly the intact committed slots and skips and
 * counts torn and damaged ones, never recovering a damaged slot as a point; slots drained just
 * before the crash (stale) and claimed-but-unfinished slots are neither recovered nor counted as
 * damage; a format 1 ring left by an older build still recovers.
 */
class RingSlotCheckTest {
    private static final int SLOTS = 64;
    private static final int LOGGED = 10;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0).ringCapacity(SLOTS);

    private RunlogStore open() {
        return RunlogStore.open(dir.resolve("store"), options);
    }

    /** An experiment with metric "m" (id 0) and {@link #LOGGED} points, closed cleanly: its high-water mark is LOGGED. */
    private Path closedExperiment() {
        try (RunlogStore store = open();
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int i = 0; i < LOGGED; i++) {
                e.metric("m").log(i, T0 + i, i * 0.5);
            }
            return e.directory();
        }
    }

    private static double valueOf(final long step) {
        return step * 0.25 + 1;
    }

    /** What a process killed while logging leaves: a ring from {@code start} holding {@code points} committed points. */
    private Path crashRing(final Path experiment, final long start, final int points) {
        final Path file = StoreLayout.ringFile(experiment);
        final PointRing ring = PointRing.create(file, FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, experiment, 0), SLOTS, start);
        for (int i = 0; i < points; i++) {
            final long p = ring.tryClaim();
            final long step = LOGGED + p - start;
            ring.commit(p, 0, step, T0 + step, Double.doubleToRawLongBits(valueOf(step)));
        }
        ring.unmap();
        return file;
    }

    private static long slotOffset(final long position) {
        return PointRingLayout.slotOffset(position, SLOTS - 1);
    }

    private static void write(final Path file, final long offset, final byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static byte[] read(final Path file, final long offset, final int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            final byte[] b = new byte[n];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    private static byte[] freeWord() {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, PointRingLayout.FREE_WORD).array();
    }

    @Test
    void shouldCountTheSlotsOfAZeroedPageAsDamagedNotAsFree() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        // the slot area (64 slots of 32 bytes, within the ring's first page of slots) zeroed: 20 committed, 44 free before
        write(ring, PointRingLayout.HEADER_LENGTH, new byte[SLOTS * PointRingLayout.SLOT_LENGTH]);
        final PointRing r = PointRing.openForRecovery(ring, FileSystemFacade.DEFAULT);
        try {
            final RingReport report = RingReport.scan(r, LOGGED);
            assertEquals(0, report.committed());
            assertEquals(SLOTS, report.damaged(), "a zeroed slot is never taken for a free one");
        } finally {
            r.unmap();
        }
        assertEquals(LOGGED, reopen(0, SLOTS).length);
    }

    @Test
    void shouldReadAFreshRingAsFreeSlotsOnly() {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 0);
        final PointRing r = PointRing.openForRecovery(ring, FileSystemFacade.DEFAULT);
        try {
            final RingReport report = RingReport.scan(r, LOGGED);
            assertEquals(0, report.committed() + report.damaged() + report.stale() + report.unfinished());
        } finally {
            r.unmap();
        }
    }

    private static void flipBit(final Path file, final long offset, final int bit) throws IOException {
        final byte[] b = read(file, offset, 1);
        b[0] ^= (byte) (1 << bit);
        write(file, offset, b);
    }

    /** Reopens; checks every recovered point is one that was logged, and returns the experiment's counts. */
    private long[] reopen(final long expectedRecovered, final long expectedSkipped) {
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            assertEquals(expectedRecovered, e.recoveredPoints(), "recovered points");
            assertEquals(expectedSkipped, e.skippedRingSlots(), "skipped slots");
            final MetricSeries m = e.readMetric("m");
            for (int i = 0; i < m.size(); i++) {
                final long step = m.step(i);
                final double expected = step < LOGGED ? step * 0.5 : valueOf(step);
                assertEquals(Double.doubleToRawLongBits(expected), m.valueBits(i), "value of step " + step);
                assertEquals(T0 + step, m.timestamp(i), "timestamp of step " + step);
            }
            return m.steps();
        }
    }

    @Test
    void shouldRecoverEveryIntactCommittedSlot() {
        final Path exp = closedExperiment();
        crashRing(exp, LOGGED, 20);
        assertEquals(LOGGED + 20, reopen(20, 0).length);
        assertFalse(Files.exists(StoreLayout.ringFile(exp)), "the recovered ring is deleted");
    }

    @Test
    void shouldSkipAndCountASlotWithAFlippedBitInAnyField() throws IOException {
        final long seed = TestSeed.of("RingSlotCheckTest.flip");
        final Random random = new Random(seed);
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        final long damagedPosition = LOGGED + 5;
        final int byteInSlot = random.nextInt(PointRingLayout.SLOT_LENGTH); // id, check, step, timestamp or value
        flipBit(ring, slotOffset(damagedPosition) + byteInSlot, random.nextInt(8));
        final long[] steps = reopen(19, 1);
        assertEquals(LOGGED + 19, steps.length);
        for (final long step : steps) {
            assertNotEquals(LOGGED + 5, step, "the damaged slot is not recovered");
        }
    }

    @Test
    void shouldSkipATornSlotWhoseFieldsAreOfAnotherWrite() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        // a page written back in part: the check made it to the disk, the step and value did not
        final ByteBuffer torn = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        torn.putLong(0, 281_474_976_730_140L).putLong(8, T0).putLong(16, 0xFFFFFFFFFFFFFFFFL);
        write(ring, slotOffset(LOGGED + 7) + PointRingLayout.STEP_OFFSET, torn.array());
        final long[] steps = reopen(19, 1);
        for (final long step : steps) {
            assertNotEquals(281_474_976_730_140L, step, "a torn slot is not recovered as a point");
        }
    }

    @Test
    void shouldSkipTwoSwappedSlotsSinceEachCheckNamesItsPosition() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        final byte[] a = read(ring, slotOffset(LOGGED + 2), PointRingLayout.SLOT_LENGTH);
        final byte[] b = read(ring, slotOffset(LOGGED + 3), PointRingLayout.SLOT_LENGTH);
        write(ring, slotOffset(LOGGED + 2), b);
        write(ring, slotOffset(LOGGED + 3), a);
        assertEquals(LOGGED + 18, reopen(18, 2).length);
    }

    @Test
    void shouldNotRecoverNorCountSlotsDrainedJustBeforeTheCrash() {
        final Path exp = closedExperiment();
        // the ring started 5 positions before the journal's high-water mark: those 5 slots were drained
        // into the journal (the steps LOGGED-5 .. LOGGED-1 are there) but not yet freed when the process died
        final Path ring = StoreLayout.ringFile(exp);
        final PointRing r = PointRing.create(ring, FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, exp, 0), SLOTS, LOGGED - 5);
        for (int i = 0; i < 15; i++) {
            final long p = r.tryClaim();
            final long step = p;
            final double v = step < LOGGED ? step * 0.5 : valueOf(step);
            r.commit(p, 0, step, T0 + step, Double.doubleToRawLongBits(v));
        }
        r.unmap();
        final long[] steps = reopen(10, 0);
        assertEquals(LOGGED + 10, steps.length, "no drained point recovered twice");
        for (int i = 0; i < steps.length; i++) {
            assertEquals(i, steps[i]);
        }
    }

    @Test
    void shouldNeitherRecoverNorCountAClaimedSlotWhoseWriterWasKilledBeforeItsCheck() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        // the writer of position LOGGED + 4 wrote its fields and died before its word: still the free word
        write(ring, slotOffset(LOGGED + 4) + PointRingLayout.CHECK_OFFSET, freeWord());
        assertEquals(LOGGED + 19, reopen(19, 0).length);
    }

    @Test
    void shouldReportWhatTheScanFoundWithTheOffsetOfTheFirstDamagedSlot() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = crashRing(exp, LOGGED, 20);
        flipBit(ring, slotOffset(LOGGED + 9) + PointRingLayout.VALUE_OFFSET, 3);
        write(ring, slotOffset(LOGGED + 12) + PointRingLayout.CHECK_OFFSET, freeWord());
        final PointRing r = PointRing.openForRecovery(ring, FileSystemFacade.DEFAULT);
        try {
            final RingReport report = RingReport.scan(r, LOGGED);
            assertEquals(18, report.committed());
            assertEquals(1, report.damaged());
            assertEquals(1, report.unfinished());
            assertEquals(slotOffset(LOGGED + 9), report.firstDamagedOffset());
            assertTrue(report.describe().contains("offset " + slotOffset(LOGGED + 9)), report.describe());
        } finally {
            r.unmap();
        }
    }

    @Test
    void shouldStillRecoverAFormat1RingLeftByAnOlderBuild() throws IOException {
        final Path exp = closedExperiment();
        final Path ring = StoreLayout.ringFile(exp);
        final ByteBuffer b = ByteBuffer.allocate((int) PointRingLayout.fileLength(SLOTS)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(PointRingLayout.MAGIC_OFFSET, PointRingLayout.MAGIC).putInt(PointRingLayout.VERSION_OFFSET, 1)
            .putInt(PointRingLayout.SLOT_COUNT_OFFSET, SLOTS).putInt(PointRingLayout.SLOT_LENGTH_OFFSET, 32);
        for (long p = LOGGED; p < LOGGED + 8; p++) {
            final int at = PointRingLayout.slotOffset(p, SLOTS - 1);
            b.putInt(at + PointRingLayout.METRIC_ID_OFFSET, 0)
                .putInt(at + PointRingLayout.TAG_OFFSET, PointRingLayout.tagFor(p, Integer.numberOfTrailingZeros(SLOTS)))
                .putLong(at + PointRingLayout.STEP_OFFSET, p).putLong(at + PointRingLayout.TIMESTAMP_OFFSET, T0 + p)
                .putLong(at + PointRingLayout.VALUE_OFFSET, Double.doubleToRawLongBits(valueOf(p)));
        }
        Files.write(ring, b.array());
        assertEquals(LOGGED + 8, reopen(8, 0).length);
    }

    @Test
    void shouldGiveEveryCheckANonZeroValueDistinctFromTheLapBefore() {
        final long seed = TestSeed.of("RingSlotCheckTest.check");
        final Random random = new Random(seed);
        for (int i = 0; i < 1_000_000; i++) {
            final int id = random.nextInt(1000);
            final long step = random.nextLong();
            final long ts = random.nextLong();
            final long v = random.nextLong();
            final long p = random.nextLong() & Long.MAX_VALUE;
            final int slots = 64 << random.nextInt(19);
            final int check = PointRingLayout.check(id, step, ts, v, p);
            assertNotEquals(0, check);
            assertNotEquals(check, PointRingLayout.check(id, step, ts, v, p - slots));
            // the substitution of 0 keeps them apart: the products' XOR never is 1
            assertNotEquals(1, ((int) p * 0x85EBCA77) ^ ((int) (p - slots) * 0x85EBCA77));
        }
    }

    @Test
    void shouldFreeDrainedSlotsSoThatALiveRingNeverMistakesALapForTheNext() {
        try (RunlogStore store = open();
             Experiment e = store.createProject("q", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int i = 0; i < SLOTS * 5 + 7; i++) { // five laps and a bit, drained on the way
                e.metric("m").log(i, T0 + i, valueOf(i));
            }
            final MetricSeries m = e.readMetric("m");
            assertEquals(SLOTS * 5 + 7, m.size());
            for (int i = 0; i < m.size(); i++) {
                assertEquals(i, m.step(i));
                assertEquals(Double.doubleToRawLongBits(valueOf(i)), m.valueBits(i));
            }
        }
    }
}
