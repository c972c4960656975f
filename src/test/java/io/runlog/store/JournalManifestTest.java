package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The journal manifest: a cycle file that is deleted, truncated or zeroed, and a ring lost by an
 * experiment that was not closed cleanly, are refused at open with a {@link CorruptStoreException}
 * naming the file, instead of the experiment opening empty (or shorter) and accepting new data
 * on top.
 */
class JournalManifestTest {
    private static final int POINTS = 20_000;

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    @Test
    void shouldRefuseAnExperimentWhoseCycleFileWasDeleted() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final Path cycle = cycleFile(store);
        Files.delete(cycle);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(store));
        assertTrue(e.getMessage().contains(cycle.toString()) && e.getMessage().contains("is missing"), e.getMessage());
        assertFalse(Files.exists(cycle), "a refused experiment is not written to");
    }

    @Test
    void shouldRefuseAnExperimentWhoseCycleFileWasTruncated() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final Path cycle = cycleFile(store);
        final long dataEnd = dataEnd(cycle);
        for (final long keep : new long[]{dataEnd / 2, dataEnd - 1000, 4096, 0}) {
            final Path copy = copy(store, "cut-" + keep);
            try (RandomAccessFile f = new RandomAccessFile(cycleFile(copy).toFile(), "rw")) {
                f.setLength(keep);
            }
            final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(copy), "kept " + keep);
            assertTrue(e.getMessage().contains(cycleFile(copy).toString()), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAnExperimentWhoseCycleFileHasAZeroedPage() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final long dataEnd = dataEnd(cycleFile(store));
        for (final long page : new long[]{0, (dataEnd / 2) & ~4095L}) {
            final Path copy = copy(store, "zero-" + page);
            try (RandomAccessFile f = new RandomAccessFile(cycleFile(copy).toFile(), "rw")) {
                f.seek(page);
                f.write(new byte[4096]);
            }
            final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(copy), "page " + page);
            assertTrue(e.getMessage().contains("journal"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAnExperimentNotClosedCleanlyWhoseRingWasDeleted() throws IOException {
        final Path store = dir.resolve("s");
        final Path snapshot;
        // no background drain while the files are copied one by one: a drain between the journal's copy and
        // the ring's would free the point's slot (ring format 2) after the journal was copied without it, an
        // image no kill -9 leaves (the kernel keeps both mappings' pages)
        try (RunlogStore s = RunlogStore.open(store, options.copy().backgroundDrain(false));
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("loss").log(0, 1.0);
            // the files as a kill -9 would leave them: the ring in use, the manifest saying so
            snapshot = copy(store, "crashed");
        }
        final Path ring = StoreLayout.ringFile(snapshot.resolve("projects/p/experiments/e"));
        assertTrue(Files.exists(ring));
        final Path intact = copy(snapshot, "crashed-intact");
        Files.delete(ring);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(snapshot));
        assertTrue(e.getMessage().contains("not closed cleanly") && e.getMessage().contains(ring.toString()), e.getMessage());
        try (RunlogStore s = RunlogStore.open(intact, options);
             Experiment x = s.project("p").openExperiment("e")) {
            assertEquals(1, x.readMetric("loss").size(), "with its ring the crashed experiment recovers");
        }
        try (RunlogStore s = RunlogStore.open(intact, options);
             Experiment x = s.project("p").openExperiment("e")) {
            assertEquals(1, x.readMetric("loss").size(), "and after the recovery it needs its ring no more");
        }
    }

    @Test
    void shouldRefuseAFormat5ExperimentWhoseManifestWasDeletedOrDamaged() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final Path manifest = StoreLayout.manifestFile(store.resolve("projects/p/experiments/e"));
        final Path damaged = copy(store, "damaged");
        final Path damagedManifest = StoreLayout.manifestFile(damaged.resolve("projects/p/experiments/e"));
        final byte[] bytes = Files.readAllBytes(damagedManifest);
        bytes[ManifestDescriptor.entryOffset(0) + ManifestDescriptor.ENTRY_RECORDS_OFFSET] ^= 1;
        Files.write(damagedManifest, bytes);
        assertTrue(assertThrows(CorruptStoreException.class, () -> open(damaged)).getMessage().contains("CRC32C"));
        Files.delete(manifest);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(store));
        assertTrue(e.getMessage().contains(manifest.toString()) && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void shouldRefuseADeletedCutOrZeroedCycleFileOnAReadOnlyOpenToo() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final long dataEnd = dataEnd(cycleFile(store));
        final Path deleted = copy(store, "ro-deleted");
        Files.delete(cycleFile(deleted));
        final List<Path> damagedCopies = new ArrayList<>(List.of(deleted));
        // cut anywhere, and at page boundaries: a read-only mapping past the end of a cut file faults on access
        for (final long keep : new long[]{dataEnd / 2, dataEnd - 1000, 20480, 4096, 0}) {
            final Path cut = copy(store, "ro-cut-" + keep);
            try (RandomAccessFile f = new RandomAccessFile(cycleFile(cut).toFile(), "rw")) {
                f.setLength(keep);
            }
            damagedCopies.add(cut);
        }
        final Path zeroed = copy(store, "ro-zeroed");
        try (RandomAccessFile f = new RandomAccessFile(cycleFile(zeroed).toFile(), "rw")) {
            f.seek((dataEnd / 2) & ~4095L);
            f.write(new byte[4096]);
        }
        damagedCopies.add(zeroed);
        for (final Path damaged : damagedCopies) {
            final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openReadOnly(damaged),
                damaged.getFileName().toString());
            assertTrue(e.getMessage().contains("journal"), e.getMessage());
        }
        openReadOnly(store); // the undamaged original reads whole
    }

    @Test
    void shouldRefuseAReadOnlyOpenOfAFormat5ExperimentWhoseManifestWasDeletedOrDamaged() throws IOException {
        final Path store = writeStore(dir.resolve("s"));
        final Path damaged = copy(store, "damaged");
        final Path damagedManifest = StoreLayout.manifestFile(damaged.resolve("projects/p/experiments/e"));
        final byte[] bytes = Files.readAllBytes(damagedManifest);
        bytes[ManifestDescriptor.RING_OFFSET] ^= 4;
        Files.write(damagedManifest, bytes);
        assertTrue(assertThrows(CorruptStoreException.class, () -> openReadOnly(damaged)).getMessage()
            .contains(damagedManifest.toString()));
        final Path manifest = StoreLayout.manifestFile(store.resolve("projects/p/experiments/e"));
        Files.delete(manifest);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> openReadOnly(store));
        assertTrue(e.getMessage().contains(manifest.toString()) && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void shouldCountTheRecordsOfEveryCloseAndSync() throws IOException {
        final Path store = dir.resolve("s");
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.logParameter("a", 1L);
            e.sync();
            assertEquals(2, manifest(store).totalRecords(), "header and parameter, at the sync");
            assertFalse(manifest(store).ringInUse());
            e.metric("loss").log(0, 1.0);
            assertTrue(manifest(store).ringInUse(), "a ring in use is in the manifest before a point is logged");
        }
        final JournalManifest.Content closed = manifest(store);
        assertEquals(4, closed.totalRecords(), "and the metric's definition and batch, at close");
        assertFalse(closed.ringInUse());
        assertEquals(1, closed.cycles().length);
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(1, e.readMetric("loss").size());
        }
    }

    @Test
    void shouldOpenAnExperimentWhoseRecordsOutnumberItsManifestAfterACrash() throws IOException {
        final Path store = dir.resolve("s");
        final Path snapshot;
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.sync();
            e.logParameter("a", 1L); // after the last sync: the manifest's counts are a lower bound
            snapshot = copy(store, "crashed");
        }
        try (RunlogStore s = RunlogStore.open(snapshot, options);
             Experiment e = s.project("p").openExperiment("e")) {
            assertEquals(1L, e.parameters().get("a").longValue());
        }
    }

    @Test
    void shouldKeepTheManifestOfAnExperimentThatNeverClosesAtMostATenthOfASecondBehind() throws IOException {
        final long[] nanos = {0};
        final StoreOptions clocked = new StoreOptions().diskReserveBytes(0).backgroundDrain(false).nanoClock(() -> nanos[0]);
        final Path store = dir.resolve("s");
        final Path snapshot;
        try (RunlogStore s = RunlogStore.open(store, clocked);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int k = 0; k < POINTS; k++) {
                e.metric("loss").log(k, 1000 + k, Math.sin(k));
                if (k % 1000 == 999) {
                    e.metrics(); // a batch
                    nanos[0] += ExperimentEngine.MANIFEST_UPDATE_NANOS / 2;
                }
            }
            e.metrics();
            nanos[0] += ExperimentEngine.MANIFEST_UPDATE_NANOS;
            e.logParameter("done", true); // the update after the last batch
            assertEquals(1 + 1 + POINTS / 1000 + 1, manifest(store).totalRecords(),
                "header, metric, every batch and the parameter, without a close or sync");
            snapshot = copy(store, "crashed"); // as kill -9 would leave it
        }
        final Path cycle = cycleFile(snapshot);
        final long end = dataEnd(cycle);
        assertTrue(Files.exists(StoreLayout.ringFile(snapshot.resolve("projects/p/experiments/e"))), "a ring left by the crash");
        final Path intact = copy(snapshot, "intact");
        try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
            f.setLength(end - 2000); // cuts into the last batch: its CRC32C fails
        }
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(snapshot));
        assertTrue(e.getMessage().contains(cycle.toString()) && e.getMessage().contains("CRC32C"), e.getMessage());
        final Path cut = copy(intact, "cut-at-a-record");
        final long lastBatch = lastIndexOf(Files.readAllBytes(cycleFile(cut)), (byte) RecordType.POINT_BATCH.code,
            (byte) JournalLayout.VERSION) - 4; // less its Chronicle header
        try (RandomAccessFile f = new RandomAccessFile(cycleFile(cut).toFile(), "rw")) {
            f.setLength(lastBatch); // exactly the last batch and the parameter after it: only the manifest knows
        }
        e = assertThrows(CorruptStoreException.class, () -> open(cut));
        assertTrue(e.getMessage().contains(cycleFile(cut).toString()) && e.getMessage().contains("readable records"),
            e.getMessage());
        open(intact); // and the crashed experiment itself opens with every point
    }

    // ------------------------------------------------------------------ helpers

    private Path writeStore(final Path root) {
        try (RunlogStore store = RunlogStore.open(root, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            for (int k = 0; k < POINTS; k++) {
                e.metric("loss").log(k, 1000 + k, Math.sin(k));
                if (k % 1000 == 0) {
                    e.logParameter("checkpoint", k);
                    e.metrics(); // a batch per thousand points
                }
            }
        }
        return root;
    }

    private void open(final Path root) {
        try (RunlogStore store = RunlogStore.open(root, options);
             Experiment e = store.project("p").openExperiment("e")) {
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(POINTS, loss.size(), "never silently fewer");
        }
    }

    private void openReadOnly(final Path root) {
        try (RunlogStore store = RunlogStore.openReadOnly(root, options);
             Experiment e = store.project("p").openExperiment("e")) {
            assertEquals(POINTS, e.readMetric("loss").size(), "never silently fewer");
        }
    }

    private static JournalManifest.Content manifest(final Path store) {
        return new JournalManifest(FileSystemFacade.DEFAULT, store.resolve("projects/p/experiments/e")).read();
    }

    private static Path cycleFile(final Path root) throws IOException {
        try (Stream<Path> files = Files.list(StoreLayout.journalDir(root.resolve("projects/p/experiments/e")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).findFirst().orElseThrow();
        }
    }

    /** Where the written part of a (sparse, pre-sized) cycle file ends: past its last non-zero byte. */
    private static long dataEnd(final Path cycle) throws IOException {
        final byte[] bytes = Files.readAllBytes(cycle);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        // the index pages sit near the start; the records end here
        return end;
    }

    /** The last offset where the bytes {@code a, b, 0, 0} (a record's type, version and reserved u16) start. */
    private static int lastIndexOf(final byte[] bytes, final byte a, final byte b) {
        for (int i = bytes.length - 4; i >= 0; i--) {
            if (bytes[i] == a && bytes[i + 1] == b && bytes[i + 2] == 0 && bytes[i + 3] == 0) {
                return i;
            }
        }
        throw new AssertionError("no record");
    }

    private Path copy(final Path from, final String name) throws IOException {
        final Path to = dir.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path f : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                final Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
