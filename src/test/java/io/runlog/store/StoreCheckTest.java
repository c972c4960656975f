package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link StoreCheck} reads every record, run, payload and ring slot of a closed store and names
 * each damage by file and record index or offset; {@link Salvage} keeps what lies before the first
 * damage, moves the rest aside without deleting it, writes a report, and leaves a store that checks
 * clean.
 */
class StoreCheckTest {
    @TempDir
    Path dir;

    @TempDir
    Path live;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0).ringCapacity(64);

    private RunlogStore open() {
        return RunlogStore.open(dir, options);
    }

    /** p/e: 100 points of "loss", a parameter, an output line, then an item, then 50 more points; p/f: 10 points. */
    private Item fill() {
        try (RunlogStore store = open()) {
            final var p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            final Item item;
            try (Experiment e = p.createExperiment("e")) {
                for (int i = 0; i < 100; i++) {
                    e.log("loss", i, 1.0 / (i + 1));
                }
                e.sync(); // the 100 points reach the journal before the item, whatever the drain's timing
                e.logParameter("lr", 0.001);
                e.logOutput(io.runlog.OutputChannel.STDOUT, "epoch 1");
                item = e.logItem(ItemType.MODEL, "m", Map.of(), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
                for (int i = 100; i < 150; i++) {
                    e.log("loss", i, 1.0 / (i + 1));
                }
            }
            try (Experiment f = p.createExperiment("f")) {
                for (int i = 0; i < 10; i++) {
                    f.log("acc", i, i);
                }
            }
            return item;
        }
    }

    private List<ExperimentCheck> check() {
        try (RunlogStore store = open()) {
            return StoreCheck.run(io.runlog.internal.StoreAccess.engine(store), null, null);
        }
    }

    private ExperimentCheck checkOf(final String key) {
        return check().stream().filter(c -> c.key.equals(key)).findFirst().orElseThrow();
    }

    private Path experimentDir() {
        return StoreLayout.experimentDir(dir, "p", "e");
    }

    private static String lines(final ExperimentCheck c) {
        return String.join("\n", c.findings().stream().map(CheckFinding::line).toList());
    }

    private Salvage.Result repair() {
        try (RunlogStore store = open()) {
            final ExperimentCheck c = StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "p", "e");
            assertTrue(c.damaged());
            return Salvage.repair(io.runlog.internal.StoreAccess.engine(store), c, "20261203T000000Z");
        }
    }

    @Test
    void shouldFindNothingWrongInAHealthyStoreAndSayThatFormat4HasNoChecksums() {
        fill();
        final List<ExperimentCheck> checks = check();
        assertEquals(2, checks.size());
        for (final ExperimentCheck c : checks) {
            assertFalse(c.damaged(), lines(c));
        }
        final ExperimentCheck e = checkOf("e");
        assertEquals(150, e.points());
        assertEquals(1, e.payloads());
        assertTrue(e.records() >= 6, "header, metric, batches, parameter, output, item: " + e.records());
        if (e.journalVersionMin < StoreCheck.FIRST_CHECKSUMMED_JOURNAL_VERSION) {
            assertTrue(lines(e).contains("carry no checksums"), lines(e));
        }
    }

    @Test
    void shouldNameADamagedPayloadAndSalvageEverythingLoggedBeforeItsItem() throws IOException {
        final Item item = fill();
        final Path blob = StoreLayout.blobDir(experimentDir()).resolve(item.sha256());
        final byte[] b = Files.readAllBytes(blob);
        b[3] ^= 1;
        Files.write(blob, b);
        final ExperimentCheck c = checkOf("e");
        assertTrue(c.damaged());
        assertTrue(lines(c).contains("DAMAGE p/e: " + blob), lines(c));
        assertFalse(checkOf("f").damaged(), "one experiment's damage is its own");

        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions().toString());
        final Path aside = dir.resolve("salvage/20261203T000000Z/p/e");
        assertTrue(Files.isRegularFile(aside.resolve("blobs").resolve(item.sha256())), "the damaged payload is moved aside");
        assertTrue(Files.isDirectory(aside.resolve("journal")), "the old journal is kept whole");
        final String report = Files.readString(aside.resolve("REPORT.txt"));
        assertTrue(report.contains(blob.toString()) && report.contains("kept the"), report);

        assertFalse(checkOf("e").damaged(), "a second check passes");
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(100, loss.size(), "the points logged before the damaged item are kept");
            for (int i = 0; i < 100; i++) {
                assertEquals(1.0 / (i + 1), loss.value(i));
            }
            assertEquals(0.001, e.parameters().get("lr").doubleValue());
            assertEquals(1, e.outputLines().size());
            assertEquals(0, e.items().size());
        }
    }

    @Test
    void shouldNameAMissingPayload() throws IOException {
        final Item item = fill();
        Files.delete(StoreLayout.blobDir(experimentDir()).resolve(item.sha256()));
        final ExperimentCheck c = checkOf("e");
        assertTrue(lines(c).contains("missing"), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        assertFalse(checkOf("e").damaged());
    }

    @Test
    void shouldNameTheIndexOfADamagedRecordAndKeepTheRecordsBeforeIt() {
        fill();
        final long bad;
        try (Journal journal = Journal.open(StoreLayout.journalDir(experimentDir()), options.journalBlockSize())) {
            bad = journal.appendRaw(new byte[]{99, 1, 0, 0}); // an unknown record type
        }
        final ExperimentCheck c = checkOf("e");
        assertTrue(c.damaged());
        assertEquals(bad, c.firstDamagedRecord());
        assertTrue(lines(c).contains(Long.toHexString(bad)), "names the damaged record's index " + Long.toHexString(bad) + ": " + lines(c));
        assertTrue(lines(c).contains("unknown record type 99"), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        assertFalse(checkOf("e").damaged(), "a second check passes");
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            assertEquals(150, e.readMetric("loss").size(), "every record before the damaged one is kept");
            assertEquals(1, e.items().size());
        }
    }

    @Test
    void shouldNameTheOffsetOfADamagedRingSlotAndRecoverTheIntactOnesOnRepair() throws IOException {
        fill();
        final Path exp = experimentDir();
        final Path ringFile = StoreLayout.ringFile(exp);
        final PointRing ring = PointRing.create(ringFile, FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, exp, 0), 64, 150);
        for (int i = 0; i < 10; i++) {
            final long p = ring.tryClaim();
            ring.commit(p, 0, p, 1_000 + p, Double.doubleToRawLongBits(1.0 / (p + 1)));
        }
        ring.unmap();
        final ExperimentCheck crashed = checkOf("e");
        assertFalse(crashed.damaged(), lines(crashed));
        assertTrue(lines(crashed).contains("not closed cleanly: 10 committed points"), lines(crashed));

        final long slot = PointRingLayout.slotOffset(153, 63);
        try (RandomAccessFile f = new RandomAccessFile(ringFile.toFile(), "rw")) {
            f.seek(slot + PointRingLayout.VALUE_OFFSET);
            f.write(0x7F);
        }
        final ExperimentCheck c = checkOf("e");
        assertTrue(c.damaged());
        assertTrue(lines(c).contains("first at offset " + slot), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        assertTrue(Files.isRegularFile(dir.resolve("salvage/20261203T000000Z/p/e/points.ring")), "the ring is kept aside");
        assertFalse(Files.exists(ringFile));
        assertFalse(checkOf("e").damaged(), "a second check passes");
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(159, loss.size(), "150 in the journal, 9 intact slots recovered, the damaged one skipped");
            for (int i = 0; i < loss.size(); i++) {
                assertNotEquals(153, loss.step(i));
                assertEquals(1.0 / (loss.step(i) + 1), loss.value(i));
            }
        }
    }

    @Test
    void shouldReportAMissingJournalAsUnrepairableAndLeaveItsExperimentAlone() throws IOException {
        fill();
        final Path journal = StoreLayout.journalDir(experimentDir());
        try (Stream<Path> files = Files.walk(journal)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        final ExperimentCheck c = checkOf("e");
        assertTrue(lines(c).contains("journal directory is missing"), lines(c));
        final Salvage.Result r2 = repair();
        assertFalse(r2.repaired());
        assertTrue(Files.isRegularFile(r2.salvageDir().resolve("REPORT.txt")));
    }

    @Test
    void shouldNameADamagedProjectFileAndGoOnWithTheRest() throws IOException {
        fill();
        try (RunlogStore store = open()) {
            store.createProject("q", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("x").close();
        }
        final Path projectFile = StoreLayout.projectFile(dir, "q");
        Files.writeString(projectFile, "kind=NO_SUCH_KIND\n");
        final List<ExperimentCheck> checks = check();
        final ExperimentCheck q = checks.stream().filter(c -> c.project.equals("q")).findFirst().orElseThrow();
        assertTrue(q.damaged());
        assertTrue(lines(q).contains(projectFile.toString()), lines(q));
        assertEquals(2, checks.stream().filter(c -> c.project.equals("p") && !c.damaged()).count());
    }

    @Test
    void shouldMoveARingWithADamagedHeaderAsideOnRepair() throws IOException {
        fill();
        final Path exp = experimentDir();
        final Path ringFile = StoreLayout.ringFile(exp);
        final PointRing ring = PointRing.create(ringFile, FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, exp, 0), 64, 150);
        ring.commit(ring.tryClaim(), 0, 150, 1_150, Double.doubleToRawLongBits(0.5));
        ring.unmap();
        try (RandomAccessFile f = new RandomAccessFile(ringFile.toFile(), "rw")) {
            f.seek(PointRingLayout.MAGIC_OFFSET);
            f.write(new byte[]{0, 0, 0, 0});
        }
        final ExperimentCheck c = checkOf("e");
        assertTrue(lines(c).contains("bad magic at offset 0"), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        assertTrue(Files.isRegularFile(r.salvageDir().resolve("points.ring")));
        assertFalse(checkOf("e").damaged(), "a second check passes");
    }

    /** Copies a store's files as they are (a store held open: what a kill -9 would leave). */
    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path f : files.toList()) {
                final Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void shouldNameALostRingOfAnExperimentNotClosedCleanlyAndRepairItsManifest() throws IOException {
        try (RunlogStore store = RunlogStore.open(live, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.log("loss", 0, 1.0);
            copyTree(live, dir);
        }
        final Path ring = StoreLayout.ringFile(experimentDir());
        assertTrue(Files.exists(ring));
        assertFalse(checkOf("e").damaged(), "with its ring, a crashed experiment is not damaged");
        Files.delete(ring);
        final ExperimentCheck c = checkOf("e");
        assertTrue(c.damaged());
        assertTrue(lines(c).contains("not closed cleanly") && lines(c).contains(ring.toString()), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        assertTrue(Files.isRegularFile(r.salvageDir().resolve(StoreLayout.MANIFEST_FILE)), "the old manifest is kept aside");
        assertFalse(checkOf("e").damaged(), "a second check passes");
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            assertTrue(e.readMetric("loss").size() <= 1);
        }
    }

    @Test
    void shouldNameACutCycleFileAndKeepTheRecordsItStillHolds() throws IOException {
        fill();
        final Path journal = StoreLayout.journalDir(experimentDir());
        final Path cycle;
        try (Stream<Path> files = Files.list(journal)) {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).findFirst().orElseThrow();
        }
        final ExperimentCheck before = checkOf("e");
        // zero the last 200 bytes the cycle file holds: its last record (or two) is gone
        final long used;
        try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
            long end = 0;
            final byte[] page = new byte[4096];
            for (long at = 0; at < f.length(); at += page.length) {
                f.seek(at);
                final int n = f.read(page);
                for (int i = 0; i < n; i++) {
                    if (page[i] != 0) {
                        end = at + i;
                    }
                }
            }
            used = end;
            f.seek(used - 200);
            f.write(new byte[201]);
        }
        final ExperimentCheck c = checkOf("e");
        assertTrue(c.damaged(), lines(c));
        assertTrue(lines(c).contains(StoreLayout.MANIFEST_FILE) || lines(c).contains(cycle.toString()), lines(c));
        final Salvage.Result r = repair();
        assertTrue(r.repaired(), r.actions()::toString);
        final ExperimentCheck after = checkOf("e");
        assertFalse(after.damaged(), lines(after));
        assertTrue(after.records() > 0 && after.records() < before.records(),
            "kept " + after.records() + " of " + before.records() + " records");
    }

    @Test
    void shouldNotReadTheFilesOfAnExperimentHeldOpenInThisProcess() {
        fill();
        try (RunlogStore store = open(); Experiment held = store.project("p").openExperiment("e")) {
            final ExperimentCheck c = StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "p", "e");
            assertTrue(c.damaged());
            assertTrue(lines(c).contains("open in this process"), lines(c));
            held.log("loss", 150, 0.5); // untouched by the check
        }
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            e.readMetric("loss");
            assertEquals(151, e.readMetric("loss").size());
        }
        try (RunlogStore store = open()) {
            // an experiment left idle in the store's cache is closed first, then checked
            store.project("p").openExperiment("f").close();
            assertFalse(StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "p", "f").damaged());
        }
    }

    @Test
    void shouldSayThatAFormat4JournalCarriesNoChecksums() throws IOException {
        try (RunlogStore store = open()) {
            store.createProject("golden", ProjectKind.LLM).createExperiment("exp-1").close();
        }
        final Path expDir = StoreLayout.experimentDir(dir, "golden", "exp-1");
        final Path journalDir = StoreLayout.journalDir(expDir);
        try (Stream<Path> files = Files.list(journalDir)) {
            for (final Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.deleteIfExists(StoreLayout.manifestFile(expDir)); // a format 4 build wrote none
        final String golden = Files.readString(Path.of("src/test/resources/golden/journal-v4.hex"));
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            for (final String line : golden.split("\n")) {
                journal.appendRaw(java.util.HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1)));
            }
        }
        final List<ExperimentCheck> checks;
        try (RunlogStore store = open()) {
            checks = StoreCheck.run(io.runlog.internal.StoreAccess.engine(store), "golden", null);
        }
        final ExperimentCheck c = checks.get(0);
        // the golden journal names an item whose payload file was never part of it: that is the only damage
        for (final CheckFinding f : c.findings()) {
            assertTrue(!f.damage() || f.what().contains("is missing (its item record names it)"), lines(c));
        }
        assertTrue(lines(c).contains("15 of its 15 journal records are of format 4 and carry no checksums"), lines(c));
        assertTrue(c.points() > 0);
    }
}
