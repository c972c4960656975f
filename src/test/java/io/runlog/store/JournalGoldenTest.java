package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.gate.Submission;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files: the bytes of every journal record type, and of the point ring's header and a
 * slot, as this build writes them, must equal {@code src/test/resources/golden/*.hex}. A change
 * to the format must change the golden files (and the format version) on purpose:
 * run with {@code -Drunlog.golden.update=true} to rewrite them, then review the diff.
 */
class JournalGoldenTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryJournalRecordExactlyAsTheGoldenFile() throws IOException {
        final long[] now = {T0};
        final StoreOptions options = new StoreOptions().clock(() -> now[0]).backgroundDrain(false).diskReserveBytes(0);
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("golden", ProjectKind.LLM).createExperiment("exp-1")) {
            final MetricHandle loss = e.metric("loss");
            final MetricHandle lr = e.metric("lr");
            loss.log(0, T0, 2.5);
            lr.log(0, T0, 1e-3);
            loss.log(1, T0 + 1, Double.NaN);
            loss.log(2, T0 + 2, Double.longBitsToDouble(0x7ff0000000000001L));
            final MetricHandle ema = e.metric("ema"); // bits in arithmetic progression: a BITS run
            for (int k = 0; k < 6; k++) {
                ema.log(k, T0 + k, Double.longBitsToDouble(0x400921FB54442D18L + k * 1_000_003L));
            }
            final MetricHandle acc = e.metric("acc"); // float32 values: a FLOAT32 run
            for (int k = 0; k < 4; k++) {
                acc.log(k, T0 + k, 0.7f + k * 1e-4f);
            }
            e.metrics(); // drains: one batch of four runs (XOR, DECIMAL, BITS, FLOAT32)
            lr.log(-7, T0 + 3, -0.0);
            e.metrics(); // drains: one batch of one run
            now[0]++;
            e.logParameter("optimizer", "adamw");
            e.logParameter("lr", 1e-3);
            e.logParameter("epochs", 3L);
            e.logParameter("amp", true);
            e.logOutput(OutputChannel.STDERR, "step 1 ✓");
            final Map<String, String> meta = new LinkedHashMap<>();
            meta.put("step", "1");
            meta.put("format", "png");
            e.logItem(ItemType.IMAGE, "sample", meta, "payload".getBytes(StandardCharsets.UTF_8));
            e.logPrompt("2+2?", "4", Map.of("model", "m"));
            final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 2), () -> now[0]);
            gate.tryAcquire("key", DataType.METRICS, 1); // fills half the window (writes nothing): the 2 below are throttled, not too large
            gate.submit("key", e, new Submission().metric("loss", 3, T0, 1.0).metric("loss", 4, T0, 1.0));
        }
        final List<String> records = new ArrayList<>();
        try (Journal journal = Journal.open(dir.resolve("projects/golden/experiments/exp-1/journal"),
            StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            journal.rewind();
            DocumentContext dc;
            while ((dc = journal.next()) != null) {
                try (DocumentContext doc = dc) {
                    final Bytes<?> b = doc.wire().bytes();
                    final byte[] raw = new byte[(int) b.readRemaining()];
                    b.read(b.readPosition(), raw, 0, raw.length);
                    records.add(RecordType.of(raw[0]) + " " + HexFormat.of().formatHex(raw));
                }
            }
        }
        compareWithGolden("journal-v6.hex", String.join("\n", records) + "\n");
    }

    @Test
    void shouldWriteThePointRingExactlyAsTheGoldenFile() throws IOException {
        final Path file = dir.resolve("points.ring");
        final DiskSpaceGuard guard = new DiskSpaceGuard(FileSystemFacade.DEFAULT, dir, 0);
        final PointRing ring = PointRing.create(file, FileSystemFacade.DEFAULT, guard, 64, 130);
        final long p = ring.tryClaim();
        assertEquals(130, p);
        ring.commit(p, 3, 42, T0, Double.doubleToRawLongBits(-1.5));
        ring.unmap();
        final byte[] bytes = Files.readAllBytes(file);
        final int slot = PointRingLayout.slotOffset(130, 63);
        final String text = "header " + HexFormat.of().formatHex(bytes, 0, 32) + "\n"
            + "slot@" + slot + " " + HexFormat.of().formatHex(bytes, slot, slot + PointRingLayout.SLOT_LENGTH) + "\n";
        compareWithGolden("point-ring-v2.hex", text);
        assertEquals(PointRingLayout.fileLength(64), bytes.length);
    }

    /** Ring format 1 (commit tags, no checks), as an older build left it, still reads: the golden file, recovered. */
    @Test
    void shouldReadTheFormat1PointRingOfTheGoldenFile() throws IOException {
        final String[] lines = Files.readString(Path.of("src/test/resources/golden/point-ring-v1.hex")).split("\n");
        final byte[] file = new byte[(int) PointRingLayout.fileLength(64)];
        final byte[] header = HexFormat.of().parseHex(lines[0].substring("header ".length()));
        System.arraycopy(header, 0, file, 0, header.length);
        final String[] slotLine = lines[1].split(" ");
        final int at = Integer.parseInt(slotLine[0].substring("slot@".length()));
        final byte[] slot = HexFormat.of().parseHex(slotLine[1]);
        System.arraycopy(slot, 0, file, at, slot.length);
        final Path ringFile = dir.resolve("v1.ring");
        Files.write(ringFile, file);
        final PointRing ring = PointRing.openForRecovery(ringFile, FileSystemFacade.DEFAULT);
        try {
            assertEquals(1, ring.version());
            assertEquals(PointRing.COMMITTED, ring.slotState(130));
            assertEquals(PointRing.FREE, ring.slotState(130 + 64), "a tag names its lap");
            final RingReport report = RingReport.scan(ring, 130);
            assertEquals(1, report.committed());
            assertTrue(report.describe().contains("format 1 has no slot checks"), report.describe());
            final long s = ring.slotAddress(130);
            assertEquals(3, org.agrona.UnsafeApi.getInt(s + PointRingLayout.METRIC_ID_OFFSET));
            assertEquals(42, org.agrona.UnsafeApi.getLong(s + PointRingLayout.STEP_OFFSET));
            assertEquals(T0, org.agrona.UnsafeApi.getLong(s + PointRingLayout.TIMESTAMP_OFFSET));
            assertEquals(-1.5, Double.longBitsToDouble(org.agrona.UnsafeApi.getLong(s + PointRingLayout.VALUE_OFFSET)));
        } finally {
            ring.unmap();
        }
    }

    private static void compareWithGolden(final String name, final String actual) throws IOException {
        final Path source = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("runlog.golden.update")) {
            Files.createDirectories(source.getParent());
            Files.writeString(source, actual);
        }
        try (InputStream in = JournalGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            final String expected = in == null && Files.exists(source) ? Files.readString(source)
                : in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertNotNull(expected, "golden file " + name + " is missing; run with -Drunlog.golden.update=true");
            assertEquals(expected, actual, "the on-disk format drifted from golden/" + name);
        }
    }
}
