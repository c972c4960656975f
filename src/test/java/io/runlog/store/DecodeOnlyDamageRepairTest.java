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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Salvage of damage that shows only when a metric run is decoded: a format 4 journal (no CRC32C)
 * whose point batch has a malformed column (a timestamp varint that runs past its column) passes
 * the open-time scan, which checks only a batch's structure. {@code runlog check} must still find
 * it, naming the batch's record, and {@code --repair} must keep the records before it, move the
 * journal aside, and leave an experiment that opens and reads.
 */
class DecodeOnlyDamageRepairTest {
    /** The journal-v4.hex record (0-based) of the second POINT_BATCH: one run of metric 1 ("lr"), one point. */
    private static final int DAMAGED_RECORD = 6;
    /** In that record: the last byte of its 6-byte timestamp column (32 header + 24 entry + 1 step byte + 5). */
    private static final int LAST_TIMESTAMP_BYTE = PointBatchDescriptor.LENGTH + 24 + 1 + 5;

    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    private RunlogStore open() {
        return RunlogStore.open(dir, options);
    }

    /** A format 4 experiment of the golden records, the second batch's timestamp column made to run on. */
    private Path format4ExperimentWithAMalformedColumn() throws IOException {
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
        final List<byte[]> records = new ArrayList<>();
        for (final String line : Files.readString(Path.of("src/test/resources/golden/journal-v4.hex")).split("\n")) {
            records.add(HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1)));
        }
        final byte[] batch = records.get(DAMAGED_RECORD);
        assertEquals(RecordType.POINT_BATCH.code, batch[0]);
        assertEquals(6, batch[PointBatchDescriptor.LENGTH + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET]);
        assertEquals(0, batch[LAST_TIMESTAMP_BYTE] & 0x80, "the column's last varint byte ends it");
        batch[LAST_TIMESTAMP_BYTE] |= (byte) 0x80; // now the varint runs on into the value column
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            for (final byte[] r : records) {
                journal.appendRaw(r);
            }
        }
        return expDir;
    }

    @Test
    void shouldFindAColumnThatIsMalformedOnlyWhenDecodedAndSalvageTheRecordsBeforeIt() throws IOException {
        final Path expDir = format4ExperimentWithAMalformedColumn();
        final long damagedIndex;
        try (RunlogStore store = open(); Experiment e = store.project("golden").openExperiment("exp-1")) {
            // the scan takes the batch (its structure holds); decoding it is refused, never read as values
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, () -> e.readMetric("lr"));
            assertTrue(x.getMessage().contains("journal"), x.getMessage());
        }
        final ExperimentCheck c;
        try (RunlogStore store = open()) {
            c = StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "golden", "exp-1");
        }
        assertTrue(c.damaged());
        damagedIndex = c.firstDamagedRecord();
        assertTrue(damagedIndex != ExperimentCheck.NONE, "the batch's record is named: " + c.findings());
        final String lines = String.join("\n", c.findings().stream().map(CheckFinding::line).toList());
        assertTrue(lines.contains(Long.toHexString(damagedIndex)), lines);

        final Salvage.Result result;
        try (RunlogStore store = open()) {
            final ExperimentCheck again = StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "golden", "exp-1");
            result = Salvage.repair(io.runlog.internal.StoreAccess.engine(store), again, "20261203T000000Z");
        }
        assertTrue(result.repaired(), String.join("\n", result.actions()));
        assertTrue(Files.isDirectory(result.salvageDir().resolve(StoreLayout.JOURNAL_DIR)), "the old journal moved aside");
        assertTrue(Files.exists(result.salvageDir().resolve(StoreLayout.SALVAGE_REPORT)));

        final ExperimentCheck after;
        try (RunlogStore store = open()) {
            after = StoreCheck.experiment(io.runlog.internal.StoreAccess.engine(store), "golden", "exp-1");
        }
        assertFalse(after.damaged(), String.join("\n", after.findings().stream().map(CheckFinding::line).toList()));
        assertEquals(DAMAGED_RECORD, after.records(), "every record before the damaged batch is kept, none after");
        try (RunlogStore store = open(); Experiment e = store.project("golden").openExperiment("exp-1")) {
            final MetricSeries loss = e.readMetric("loss"); // the first batch, before the damage
            assertEquals(3, loss.size());
            assertEquals(Double.doubleToRawLongBits(2.5), loss.valueBits(0));
            assertEquals(1, e.readMetric("lr").size(), "lr keeps the point of the first batch, not the damaged one's");
            e.metric("lr").log(9, 9, 0.5); // and takes new points
        }
        assertTrue(Files.exists(expDir));
    }
}
