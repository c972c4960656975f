package io.runlog.store;

import io.runlog.DataType;
import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A journal written by format version 2 (the records of {@code golden/journal-v2.hex}, 20-byte
 * batch directory entries, XOR-coded values) reads unchanged in this build, and keeps reading
 * once version 3 batches are appended to it.
 */
class JournalV2ReadTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldReadAVersion2JournalAndAppendVersion3BatchesToIt() throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0 + 10).diskReserveBytes(0);
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            store.createProject("golden", ProjectKind.LLM).createExperiment("exp-1").close();
        }
        final Path journalDir = dir.resolve("projects/golden/experiments/exp-1/journal");
        replaceWithGoldenV2(journalDir);

        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("golden").openExperiment("exp-1")) {
            checkV2Content(e);
            e.metric("loss").log(3, T0 + 4, 2.4631);
            e.metric("lr").log(1, T0 + 5, 0.0006);
            e.metric("lr").log(2, T0 + 6, 0.0007);
            checkAppended(e);
        }
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("golden").openExperiment("exp-1")) {
            checkV2Content(e);
            checkAppended(e);
        }
        assertEquals(List.of("1/2", "2/2", "2/2", "3/2", "3/2", "4/2", "4/2", "4/2", "4/2", "5/2", "6/2", "7/2", "8/2",
            "3/3"), typeAndVersionOfEveryRecord(journalDir), "the old records stay, the new batch is version 3");
    }

    private static void checkV2Content(final Experiment e) {
        assertEquals(T0, e.createdAt());
        final MetricSeries loss = e.readMetric("loss");
        assertEquals(Double.doubleToRawLongBits(2.5), loss.valueBits(0));
        assertEquals(Double.doubleToRawLongBits(Double.NaN), loss.valueBits(1));
        assertEquals(0x7ff0000000000001L, loss.valueBits(2));
        assertEquals(List.of(0L, 1L, 2L), List.of(loss.step(0), loss.step(1), loss.step(2)));
        assertEquals(List.of(T0, T0 + 1, T0 + 2), List.of(loss.timestamp(0), loss.timestamp(1), loss.timestamp(2)));
        final MetricSeries lr = e.readMetric("lr");
        assertEquals(Double.doubleToRawLongBits(1e-3), lr.valueBits(0));
        assertEquals(-7, lr.step(1));
        assertEquals(Double.doubleToRawLongBits(-0.0), lr.valueBits(1));
        assertEquals("adamw", e.parameters().get("optimizer").text());
        assertEquals(1e-3, e.parameters().get("lr").doubleValue());
        assertEquals(3L, e.parameters().get("epochs").longValue());
        assertTrue(e.parameters().get("amp").booleanValue());
        assertEquals(OutputChannel.STDERR, e.outputLines().get(0).channel());
        assertEquals("step 1 ✓", e.outputLines().get(0).text());
        assertEquals(ItemType.IMAGE, e.items().get(0).type());
        assertEquals("png", e.items().get(0).metadata().get("format"));
        assertEquals("4", e.prompts().get(0).response());
        assertEquals(1, e.throttleWarning().of(DataType.METRICS).orElseThrow().submissions());
    }

    private static void checkAppended(final Experiment e) {
        final MetricSeries loss = e.readMetric("loss");
        assertEquals(4, loss.size());
        assertEquals(Double.doubleToRawLongBits(2.4631), loss.valueBits(3));
        final MetricSeries lr = e.readMetric("lr");
        assertEquals(4, lr.size());
        assertEquals(Double.doubleToRawLongBits(0.0006), lr.valueBits(2));
        assertEquals(Double.doubleToRawLongBits(0.0007), lr.valueBits(3));
        assertEquals(T0 + 6, lr.timestamp(3));
    }

    /** Replaces the journal's files with a journal holding exactly the records of golden/journal-v2.hex. */
    private static void replaceWithGoldenV2(final Path journalDir) throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        final String golden;
        try (InputStream in = JournalV2ReadTest.class.getResourceAsStream("/golden/journal-v2.hex")) {
            assertNotNull(in, "golden/journal-v2.hex");
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Journal journal = Journal.open(journalDir, StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            for (final String line : golden.split("\n")) {
                final byte[] record = HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1));
                assertEquals(2, record[1], line);
                journal.append(new RecordEncoder(journal.maxRecordLength()).putBytes(record));
            }
        }
    }

    private static List<String> typeAndVersionOfEveryRecord(final Path journalDir) {
        final List<String> records = new ArrayList<>();
        try (Journal journal = Journal.open(journalDir, StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            journal.rewind();
            DocumentContext dc;
            while ((dc = journal.next()) != null) {
                try (DocumentContext doc = dc) {
                    final Bytes<?> b = doc.wire().bytes();
                    records.add(b.readUnsignedByte(b.readPosition()) + "/" + b.readUnsignedByte(b.readPosition() + 1));
                }
            }
        }
        return records;
    }
}
