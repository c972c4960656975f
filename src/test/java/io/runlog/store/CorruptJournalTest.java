package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.UnsupportedFormatVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A journal holding a record this build cannot trust is refused on open with a typed error that
 * names the record's index and offset, and nothing is written to it.
 */
class CorruptJournalTest {
    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    @Test
    void shouldRejectAnUnknownRecordType() {
        final RunlogException e = openWithAppended(CorruptStoreException.class, new byte[]{99, 1, 0, 0});
        assertTrue(e.getMessage().contains("unknown record type 99"), e.getMessage());
        assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    }

    @Test
    void shouldRejectARecordOfANewerFormatVersion() {
        final RunlogException e = openWithAppended(UnsupportedFormatVersionException.class, new byte[]{4, 9, 0, 0});
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void shouldRejectAPointBatchWhoseRunsDoNotAddUp() {
        final byte[] batch = new byte[32 + 20 + 3];
        batch[0] = 3;
        batch[1] = 1;
        batch[4] = 1;  // one run
        batch[8] = 2;  // two points claimed...
        batch[32 + 4] = 1; // ...but the run holds one
        batch[32 + 8] = 1;
        batch[32 + 12] = 1;
        batch[32 + 16] = 1;
        final RunlogException e = openWithAppended(CorruptStoreException.class, batch);
        assertTrue(e.getMessage().contains("point batch"), e.getMessage());
    }

    @Test
    void shouldRejectAPointBatchWithImpossibleRingPositions() {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + 20 + 3).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 3).put(1, (byte) 1).putInt(4, 1).putInt(8, 1);
        b.putLong(16, Long.MAX_VALUE - 5).putLong(24, Long.MAX_VALUE); // would overflow the ring's positions
        b.putInt(32, 0).putInt(36, 1).putInt(40, 1).putInt(44, 1).putInt(48, 1); // metric 0: 1 point, 1 + 1 + 1 bytes
        b.put(52, (byte) 0).put(53, (byte) 0).put(54, (byte) 0xFF); // step 0, timestamp 0, value bits 0
        final RunlogException e = openWithAppended(CorruptStoreException.class, b.array());
        assertTrue(e.getMessage().contains("impossible ring positions"), e.getMessage());
    }

    @Test
    void shouldRejectAStringWhoseLengthRunsPastTheRecord() {
        // METRIC_DEFINED id 1 with a name length of 2^30
        final byte[] rec = {2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 'x'};
        final RunlogException e = openWithAppended(CorruptStoreException.class, rec);
        assertTrue(e.getMessage().contains("string length"), e.getMessage());
    }

    private RunlogException openWithAppended(final Class<? extends RunlogException> expected, final byte[] record) {
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("m").log(1, 1.0);
        }
        final Path journalDir = dir.resolve("projects/p/experiments/e/journal");
        final long lastBefore;
        try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
            lastBefore = journal.append(new RecordEncoder(journal.maxRecordLength()).putBytes(record));
        }
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final RunlogException thrown = assertThrows(expected, () -> store.project("p").openExperiment("e"));
            assertTrue(thrown.getMessage().contains(Long.toHexString(lastBefore)) || expected != CorruptStoreException.class,
                () -> "message names the record index " + Long.toHexString(lastBefore) + ": " + thrown.getMessage());
            return thrown;
        } finally {
            try (Journal journal = Journal.open(journalDir, options.journalBlockSize())) {
                assertEquals(lastBefore, lastIndex(journal), "a refused journal is not written to");
            }
        }
    }

    private static long lastIndex(final Journal journal) {
        journal.rewind();
        long last = -1;
        net.openhft.chronicle.wire.DocumentContext dc;
        while ((dc = journal.next()) != null) {
            try (net.openhft.chronicle.wire.DocumentContext doc = dc) {
                last = doc.index();
            }
        }
        return last;
    }
}
