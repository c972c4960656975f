package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.codec.ValueMode;
import io.runlog.gate.DataType;
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
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Journals written by earlier format versions read unchanged in this build, and keep reading
 * once this version's batches are appended to them: version 2 (the records of
 * {@code golden/journal-v2.hex}, 20-byte batch directory entries, XOR-coded values) and version 3
 * ({@code golden/journal-v3.hex}: XOR, DECIMAL and BITS runs, no FLOAT32).
 */
class OldJournalReadTest {
    private static final long T0 = 1_700_000_000_000L;
    /** Enough float32 points that FLOAT32 is strictly shorter than XOR (with 3 of them it ties and XOR wins). */
    private static final int F32_POINTS = 20;

    /** A noisy decaying float32 loss: not smooth enough for BITS, no short decimals. */
    private static float f32(final int k) {
        return (float) (2.5 * Math.exp(-k / 30.0) + 0.01 * Math.sin(k * 1.7));
    }

    @TempDir
    Path dir;

    @Test
    void shouldReadAVersion2JournalAndAppendToIt() throws IOException {
        readAndAppend("journal-v2.hex", 2, e -> { });
    }

    @Test
    void shouldReadAVersion3JournalAndAppendToIt() throws IOException {
        readAndAppend("journal-v3.hex", 3, e -> {
            final MetricSeries ema = e.readMetric("ema"); // the BITS run
            assertEquals(6, ema.size());
            for (int k = 0; k < 6; k++) {
                assertEquals(0x400921FB54442D18L + k * 1_000_003L, ema.valueBits(k));
                assertEquals(k, ema.step(k));
            }
        });
    }

    @Test
    void shouldReadAVersion4JournalAndAppendToIt() throws IOException {
        readAndAppend("journal-v4.hex", 4, e -> {
            final MetricSeries acc = e.readMetric("acc"); // the FLOAT32 run
            assertEquals(4, acc.size());
            for (int k = 0; k < 4; k++) {
                assertEquals(Double.doubleToRawLongBits(0.7f + k * 1e-4f), acc.valueBits(k));
            }
        });
    }

    @Test
    void shouldReadAVersion5JournalWithItsTrailersAndAppendToIt() throws IOException {
        readAndAppend("journal-v5.hex", 5, e -> {
            final MetricSeries ema = e.readMetric("ema"); // a BITS run of a record checked whole by its trailer
            assertEquals(6, ema.size());
            for (int k = 0; k < 6; k++) {
                assertEquals(0x400921FB54442D18L + k * 1_000_003L, ema.valueBits(k));
            }
            final MetricSeries acc = e.readMetric("acc");
            for (int k = 0; k < 4; k++) {
                assertEquals(Double.doubleToRawLongBits(0.7f + k * 1e-4f), acc.valueBits(k));
            }
        });
    }

    private void readAndAppend(final String golden, final int version, final Consumer<Experiment> checkMore)
        throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0 + 10).diskReserveBytes(0);
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            store.createProject("golden", ProjectKind.LLM).createExperiment("exp-1").close();
        }
        final Path journalDir = dir.resolve("projects/golden/experiments/exp-1/journal");
        final List<String> records = replaceWithGolden(journalDir, golden, version);

        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("golden").openExperiment("exp-1")) {
            checkOldContent(e);
            checkMore.accept(e);
            e.metric("loss").log(3, T0 + 4, 2.4631);
            e.metric("lr").log(1, T0 + 5, 0.0006);
            e.metric("lr").log(2, T0 + 6, 0.0007);
            for (int k = 0; k < F32_POINTS; k++) {
                e.metric("f32").log(k, T0 + 7, f32(k)); // a FLOAT32 run, new in version 4
            }
            checkAppended(e);
        }
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("golden").openExperiment("exp-1")) {
            checkOldContent(e);
            checkMore.accept(e);
            checkAppended(e);
        }
        final List<String> expected = new ArrayList<>(records);
        expected.add(RecordType.METRIC_DEFINED.code + "/" + JournalLayout.VERSION + " crc");
        expected.add(RecordType.POINT_BATCH.code + "/" + JournalLayout.VERSION + " crc");
        assertEquals(expected, typeAndVersionOfEveryRecord(journalDir),
            "the old records stay as they were (no checksum before version 5); the new ones are this version, each with its CRC32C");
        assertEquals(List.of(ValueMode.JOURNAL_DOUBLE_COLUMN, ValueMode.JOURNAL_DOUBLE_COLUMN, ValueMode.JOURNAL_DOUBLE_COLUMN),
            valueModesOfLastBatch(journalDir), "the appended batch: loss, lr and f32 frame-packed (format 6)");
    }

    private static void checkOldContent(final Experiment e) {
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
        final MetricSeries f32 = e.readMetric("f32");
        assertEquals(F32_POINTS, f32.size());
        for (int k = 0; k < F32_POINTS; k++) {
            assertEquals(Double.doubleToRawLongBits(f32(k)), f32.valueBits(k));
        }
    }

    /**
     * Replaces the journal's files with a journal holding exactly the records of {@code golden}
     * (each of format {@code version}); returns each record's "type/version".
     */
    private static List<String> replaceWithGolden(final Path journalDir, final String golden, final int version)
        throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        final String text;
        try (InputStream in = OldJournalReadTest.class.getResourceAsStream("/golden/" + golden)) {
            assertNotNull(in, "golden/" + golden);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final List<String> records = new ArrayList<>();
        try (Journal journal = Journal.open(journalDir, StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            for (final String line : text.split("\n")) {
                final byte[] hex = HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1));
                assertEquals(version, hex[1], line);
                final boolean trailer = RecordTrailerDescriptor.present(version);
                // a trailer covers the golden file's sequence numbers: append the body, and append() adds it anew
                final byte[] record = trailer ? java.util.Arrays.copyOf(hex, hex.length - RecordTrailerDescriptor.LENGTH) : hex;
                journal.append(new RecordEncoder(journal.maxRecordLength()).putBytes(record));
                records.add(record[0] + "/" + record[1] + (trailer ? " crc" : " none"));
            }
        }
        return records;
    }

    /** The value mode of every run of the journal's last POINT_BATCH, in directory order. */
    private static List<Integer> valueModesOfLastBatch(final Path journalDir) {
        final List<Integer> modes = new ArrayList<>();
        forEachRecord(journalDir, (b, s) -> {
            if (b.readUnsignedByte(s) == RecordType.POINT_BATCH.code) {
                modes.clear();
                final int entry = BatchEntryDescriptor.length(b.readUnsignedByte(s + RecordHeaderDescriptor.VERSION_OFFSET));
                for (int r = 0; r < b.readInt(s + PointBatchDescriptor.RUN_COUNT_OFFSET); r++) {
                    modes.add(b.readUnsignedByte(s + PointBatchDescriptor.entryOffset(r, entry)
                        + BatchEntryDescriptor.VALUE_MODE_OFFSET));
                }
            }
        });
        return modes;
    }

    private static List<String> typeAndVersionOfEveryRecord(final Path journalDir) {
        final List<String> records = new ArrayList<>();
        try (Journal journal = Journal.open(journalDir, StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            journal.rewind();
            DocumentContext dc;
            while ((dc = journal.next()) != null) {
                try (DocumentContext doc = dc) {
                    final RecordDecoder d = journal.decoder();
                    records.add(d.type().code + "/" + d.version() + (d.checksummed() ? " crc" : " none"));
                }
            }
        }
        return records;
    }

    /** Calls {@code visit} with the bytes and start of every record of the journal, in order. */
    private static void forEachRecord(final Path journalDir, final java.util.function.ObjLongConsumer<Bytes<?>> visit) {
        try (Journal journal = Journal.open(journalDir, StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            journal.rewind();
            DocumentContext dc;
            while ((dc = journal.next()) != null) {
                try (DocumentContext doc = dc) {
                    final Bytes<?> b = doc.wire().bytes();
                    visit.accept(b, b.readPosition());
                }
            }
        }
    }
}
