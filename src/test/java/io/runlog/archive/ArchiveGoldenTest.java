package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.ProjectKind;
import io.runlog.Prompt;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files, one per archive format version ({@code docs/format/archive.md}, "Versions"):
 * <ul>
 *   <li>{@code src/test/resources/golden/archive-v1.1.rla}: the archive this build writes for a
 *       fixed experiment (fixed clock, fixed source identity, a throttled data type, a BITS
 *       column), byte for byte;</li>
 *   <li>{@code archive-v1.0.rla}: the same experiment (without the BITS column and the throttle
 *       flag) as the first 1.0 writer wrote it (commit 2e20e81, an empty THROTTLE block);</li>
 *   <li>{@code archive-v1.0-late.rla}: the same (without the BITS column) as builds from
 *       2026-11-22 to 1.1 wrote it: 1.1's THROTTLE entries in a file that says 1.0;</li>
 *   <li>{@code archive-v1.2-increment.rla}: the increment (1.2, an INCREMENT block) of the same
 *       experiment after the mark {@link #INCREMENT_FROM}, byte for byte as this build writes it
 *       (a whole archive still says 1.1 and has 1.1's bytes).</li>
 * </ul>
 * This build reads each back to its exact content. A format change must change the golden file
 * (and the version) on purpose: run with {@code -Drunlog.golden.update=true} to rewrite the 1.1
 * file, then review. The last test pins the file headers and trailers.
 */
class ArchiveGoldenTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final Path GOLDEN_1_1 = Path.of("src/test/resources/golden/archive-v1.1.rla");
    private static final Path GOLDEN_1_0 = Path.of("src/test/resources/golden/archive-v1.0.rla");
    private static final Path GOLDEN_1_0_LATE = Path.of("src/test/resources/golden/archive-v1.0-late.rla");
    private static final Path GOLDEN_1_2_INCREMENT = Path.of("src/test/resources/golden/archive-v1.2-increment.rla");
    private static final String SOURCE_ID = "00112233445566778899aabbccddeeff";
    /** Bits of the "sched" metric: an arithmetic progression of raw bits, which the archive codes BITS. */
    private static final long SCHED_BITS = 0x400921FB54442D18L;
    private static final long SCHED_STEP = 1_000_003L;

    @TempDir
    Path dir;

    static void log(final Experiment e) {
        final MetricHandle loss = e.metric("loss");
        final MetricHandle lr = e.metric("lr");
        final MetricHandle odd = e.metric("odd");
        for (int i = 0; i < 20; i++) {
            loss.log(i, T0 + i * 10, Math.round(1000.0 / (i + 1)) / 100.0);
            lr.log(i, T0 + i * 10, 1e-3);
        }
        odd.log(-7, T0, Double.longBitsToDouble(0x7ff0000000000001L));
        odd.log(5, T0 + 1, -0.0);
        odd.log(5, T0 + 2, (float) 0.1);
        odd.log(Long.MAX_VALUE, Long.MIN_VALUE, Double.MIN_VALUE);
        final MetricHandle sched = e.metric("sched");
        for (int i = 0; i < 20; i++) {
            sched.log(i, T0 + i * 10, Double.longBitsToDouble(SCHED_BITS + i * SCHED_STEP));
        }
        e.logParameter("optimizer", "adamw");
        e.logParameter("lr", 1e-3);
        e.logParameter("lr", 2e-3);
        e.logParameter("epochs", 3L);
        e.logParameter("amp", true);
        e.logOutput(OutputChannel.STDOUT, "step 1 ✓");
        e.logOutput(OutputChannel.STDERR, "warning");
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", "1");
        meta.put("format", "png");
        e.logItem(ItemType.IMAGE, "sample", meta, "payload".getBytes(StandardCharsets.UTF_8));
        e.logPrompt("2+2?", "4", Map.of("model", "m"));
    }

    @Test
    void shouldWriteTheVersion11GoldenArchiveByteForByte() throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0).backgroundDrain(false).diskReserveBytes(0);
        final Path out = dir.resolve("golden.rla");
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options);
             Experiment e = store.createProject("golden", ProjectKind.LLM).createOfflineExperiment("exp-1")) {
            log(e);
            giveSourceId(e.directory());
            ArchiveFixtures.throttle(store, "golden", "exp-1", DataType.PARAMETERS, T0 + 5, 7);
            e.export(out);
        }
        final byte[] written = Files.readAllBytes(out);
        if (Boolean.getBoolean("runlog.golden.update")) {
            Files.write(GOLDEN_1_1, written);
        }
        assertArrayEquals(Files.readAllBytes(GOLDEN_1_1), written,
            "the archive format changed; if on purpose, rerun with -Drunlog.golden.update=true and review");
    }

    /** The mark the golden increment starts from: 12 points of loss, all of lr, lr's first value, the first output line. */
    private static final io.runlog.HighWaterMark INCREMENT_FROM = new io.runlog.HighWaterMark(SOURCE_ID,
        Map.of("loss", 12L, "lr", 20L), Map.of("lr", 1L), 1, 0, 0);

    @Test
    void shouldWriteTheVersion12GoldenIncrementByteForByte() throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0).backgroundDrain(false).diskReserveBytes(0);
        final Path out = dir.resolve("increment.rla");
        final io.runlog.IncrementResult r;
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options);
             Experiment e = store.createProject("golden", ProjectKind.LLM).createOfflineExperiment("exp-1")) {
            log(e);
            giveSourceId(e.directory());
            ArchiveFixtures.throttle(store, "golden", "exp-1", DataType.PARAMETERS, T0 + 5, 7);
            r = e.exportIncrement(out, INCREMENT_FROM, new io.runlog.IncrementOptions());
        }
        assertTrue(r.complete());
        assertEquals(new io.runlog.HighWaterMark(SOURCE_ID, Map.of("loss", 20L, "lr", 20L, "odd", 4L, "sched", 20L),
            Map.of("optimizer", 1L, "lr", 2L, "epochs", 1L, "amp", 1L), 2, 1, 1), r.to());
        final byte[] written = Files.readAllBytes(out);
        if (Boolean.getBoolean("runlog.golden.update")) {
            Files.write(GOLDEN_1_2_INCREMENT, written);
        }
        assertArrayEquals(Files.readAllBytes(GOLDEN_1_2_INCREMENT), written,
            "the increment format changed; if on purpose, rerun with -Drunlog.golden.update=true and review");
    }

    @Test
    void shouldReadTheVersion12GoldenIncrementToItsContentAndBases() {
        final Content c = read(GOLDEN_1_2_INCREMENT);
        assertEquals(2, c.summary.minorVersion());
        assertTrue(c.summary.isIncrement());
        final IncrementBases b = c.summary.bases();
        assertEquals(List.of("loss", "lr", "odd", "sched"), c.summary.metricNames());
        assertArrayEquals(new long[] {8, 0, 4, 20}, c.summary.metricPoints(), "points of each metric in the increment");
        assertEquals(12, b.metric(0));
        assertEquals(20, b.metric(1));
        assertEquals(0, b.metric(2));
        assertEquals(Map.of("lr", 1L), b.parameters());
        assertEquals(1, b.outputLines());
        assertEquals(0, b.items());
        assertEquals(List.of("0:12:8", "2:0:4", "3:0:20"), c.blocks, "round-robin POINTS blocks from each base");
        for (int i = 12; i < 20; i++) {
            assertEquals(Double.doubleToRawLongBits(Math.round(1000.0 / (i + 1)) / 100.0), c.values.get(0)[i - 12]);
        }
        assertEquals(4, c.params.size());
        assertEquals(new Parameter("lr", io.runlog.ParameterType.DOUBLE, "0.002", Double.doubleToRawLongBits(2e-3), T0),
            c.params.get(1));
        assertEquals(List.of(new OutputLine(OutputChannel.STDERR, "warning", T0)), c.lines);
        assertEquals(List.of("sample: payload"), c.items);
        assertEquals(new ArchiveTotals(4, 32, 4, 1, 1, 1, 1, 7), c.summary.totals());
        assertEquals(List.of(parametersThrottled()), c.flags);
    }

    @Test
    void shouldRefuseAnIncrementBlockInAVersion11FileOrOutOfPlace() throws IOException {
        final byte[] b = Files.readAllBytes(GOLDEN_1_2_INCREMENT);
        final java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putShort(10, (short) 1); // says 1.1
        buf.putInt(12, crc32c(b, 0, 12));
        final Path file = dir.resolve("v1.1-with-increment.rla");
        Files.write(file, b);
        try (ArchiveReader r = ArchiveReader.open(file)) {
            final io.runlog.ArchiveFormatException e = assertThrows(io.runlog.ArchiveFormatException.class,
                () -> r.read(new ArchiveVisitor() { }));
            assertTrue(e.getMessage().contains("an INCREMENT block in a file of version 1.1"), e.getMessage());
            assertTrue(e.getMessage().contains("block #2 (INCREMENT)"), e.getMessage());
        }
    }

    @Test
    void shouldReadTheVersion11GoldenArchiveToItsContent() {
        final Content c = read(GOLDEN_1_1);
        assertEquals(1, c.summary.minorVersion());
        checkCommonContent(c, List.of("loss", "lr", "odd", "sched"));
        assertEquals(List.of("0:0:20", "1:0:20", "2:0:4", "3:0:20"), c.blocks);
        final long[] sched = new long[20];
        for (int i = 0; i < sched.length; i++) {
            sched[i] = SCHED_BITS + i * SCHED_STEP;
        }
        assertArrayEquals(sched, c.values.get(3));
        assertEquals(new ArchiveTotals(4, 64, 5, 2, 1, 1, 1, 7), c.summary.totals());
        assertEquals(List.of(parametersThrottled()), c.flags);
    }

    @Test
    void shouldReadTheVersion10GoldenArchiveToItsContent() {
        final Content c = read(GOLDEN_1_0);
        assertEquals(0, c.summary.minorVersion());
        checkCommonContent(c, List.of("loss", "lr", "odd"));
        assertEquals(List.of("0:0:20", "1:0:20", "2:0:4"), c.blocks);
        assertEquals(new ArchiveTotals(3, 44, 5, 2, 1, 1, 0, 7), c.summary.totals());
        assertEquals(List.of(new ThrottleWarning(Map.of())), c.flags, "the first 1.0 writer wrote an empty THROTTLE block");
    }

    @Test
    void shouldReadA10ArchiveHoldingThe11ThrottleEntriesAsTheBuildsBefore11WroteThem() {
        final Content c = read(GOLDEN_1_0_LATE);
        assertEquals(0, c.summary.minorVersion());
        checkCommonContent(c, List.of("loss", "lr", "odd"));
        assertEquals(List.of("0:0:20", "1:0:20", "2:0:4"), c.blocks);
        assertEquals(new ArchiveTotals(3, 44, 5, 2, 1, 1, 1, 7), c.summary.totals());
        assertEquals(List.of(parametersThrottled()), c.flags);
    }

    private static ThrottleWarning parametersThrottled() {
        return new ThrottleWarning(Map.of(DataType.PARAMETERS,
            new ThrottleWarning.Throttled(DataType.PARAMETERS, T0 + 5, T0 + 5, 7, 1, 1)));
    }

    /** What every golden archive holds: the fixed experiment of {@link #log} without "sched". */
    private static void checkCommonContent(final Content c, final List<String> metrics) {
        assertEquals(new ArchiveHeader("golden", ProjectKind.LLM, "exp-1", T0, true, SOURCE_ID, T0), c.summary.header());
        assertEquals(metrics, c.summary.metricNames());
        assertArrayEquals(new long[] {-7, 5, 5, Long.MAX_VALUE}, c.steps.get(2));
        assertArrayEquals(new long[] {T0, T0 + 1, T0 + 2, Long.MIN_VALUE}, c.timestamps.get(2));
        assertArrayEquals(new long[] {0x7ff0000000000001L, 0x8000000000000000L,
            Double.doubleToRawLongBits((float) 0.1), 1L}, c.values.get(2));
        for (int i = 0; i < 20; i++) {
            assertEquals(Double.doubleToRawLongBits(Math.round(1000.0 / (i + 1)) / 100.0), c.values.get(0)[i], "loss " + i);
            assertEquals(Double.doubleToRawLongBits(1e-3), c.values.get(1)[i], "lr " + i);
            assertEquals(T0 + i * 10, c.timestamps.get(0)[i]);
        }
        assertEquals(5, c.params.size());
        assertEquals(new Parameter("lr", io.runlog.ParameterType.DOUBLE, "0.002", Double.doubleToRawLongBits(2e-3), T0),
            c.params.get(2));
        assertEquals(List.of(new OutputLine(OutputChannel.STDOUT, "step 1 ✓", T0),
            new OutputLine(OutputChannel.STDERR, "warning", T0)), c.lines);
        assertEquals(List.of(new Prompt("2+2?", "4", Map.of("model", "m"), T0)), c.prompts);
        assertEquals(List.of("sample: payload"), c.items);
    }

    /** Everything a read of an archive passed to its visitor. */
    private static final class Content {
        final List<String> blocks = new ArrayList<>();
        final Map<Integer, long[]> steps = new HashMap<>();
        final Map<Integer, long[]> timestamps = new HashMap<>();
        final Map<Integer, long[]> values = new HashMap<>();
        final List<Parameter> params = new ArrayList<>();
        final List<OutputLine> lines = new ArrayList<>();
        final List<Prompt> prompts = new ArrayList<>();
        final List<ThrottleWarning> flags = new ArrayList<>();
        final List<String> items = new ArrayList<>();
        ArchiveSummary summary;
    }

    private static Content read(final Path file) {
        final Content c = new Content();
        try (ArchiveReader r = ArchiveReader.open(file)) {
            c.summary = r.read(new ArchiveVisitor() {
                @Override
                public void points(final int metric, final long first, final int n, final long[] steps,
                                   final long[] timestamps, final long[] valueBits) {
                    c.blocks.add(metric + ":" + first + ":" + n);
                    c.steps.put(metric, Arrays.copyOf(steps, n));
                    c.timestamps.put(metric, Arrays.copyOf(timestamps, n));
                    c.values.put(metric, Arrays.copyOf(valueBits, n));
                }

                @Override
                public void parameters(final List<Parameter> values) {
                    c.params.addAll(values);
                }

                @Override
                public void output(final List<OutputLine> l) {
                    c.lines.addAll(l);
                }

                @Override
                public void throttle(final ThrottleWarning w) {
                    c.flags.add(w);
                }

                @Override
                public void prompts(final List<Prompt> p) {
                    c.prompts.addAll(p);
                }

                @Override
                public void item(final Item item, final InputStream payload) {
                    assertEquals(Map.of("step", "1", "format", "png"), item.metadata());
                    try {
                        c.items.add(item.name() + ": " + new String(payload.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return c;
    }

    @Test
    void shouldStartWithTheMagicAndVersionAndEndWithTheTrailerMagic() throws IOException {
        for (final Path golden : List.of(GOLDEN_1_0, GOLDEN_1_0_LATE, GOLDEN_1_1, GOLDEN_1_2_INCREMENT)) {
            final byte[] b = Files.readAllBytes(golden);
            final String version = golden == GOLDEN_1_2_INCREMENT ? "0100" + "0200"
                : golden == GOLDEN_1_1 ? "0100" + "0100" : "0100" + "0000";
            assertEquals("52554e4c4f474152" + version, HexFormat.of().formatHex(b, 0, 12), golden.toString());
            assertEquals("RLAE", new String(b, b.length - 4, 4, StandardCharsets.US_ASCII), golden.toString());
        }
    }

    @Test
    void shouldNameTheArchivesNewerVersionWhenItHoldsABlockTypeThisReaderDoesNotKnow() throws IOException {
        final byte[] b = Files.readAllBytes(GOLDEN_1_1);
        final java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putShort(10, (short) 3); // a 1.3 archive ...
        buf.putInt(12, crc32c(b, 0, 12));
        final int length = buf.getInt(16);
        b[16 + 4] = 11; // ... whose first block has a type 1.2 does not define
        buf.putInt(16 + 8 + length, crc32c(b, 16, 8 + length));
        final Path file = dir.resolve("v1.3.rla");
        Files.write(file, b);
        try (ArchiveReader r = ArchiveReader.open(file)) {
            final io.runlog.ArchiveFormatException e = assertThrows(io.runlog.ArchiveFormatException.class,
                () -> r.read(new ArchiveVisitor() { }));
            assertTrue(e.getMessage().contains("unknown block type 11 (the archive is version 1.3, this reader knows 1.2)"),
                e.getMessage());
        }
    }

    private static int crc32c(final byte[] b, final int from, final int length) {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, from, length);
        return (int) crc.getValue();
    }

    /**
     * 1.0 as first specified had THROTTLE entries of four fields (name, first, last, units). No
     * Runlog build wrote a non-empty one, and 1.1's rules, by which a 1.0 file is read, refuse
     * one rather than misread it.
     */
    @Test
    void shouldRefuseAVersion10ThrottleBlockOfFourFieldEntries() throws IOException {
        for (final int k : new int[] {1, 2}) {
            final ByteSink entries = new ByteSink(64);
            entries.varint(k);
            for (int i = 0; i < k; i++) {
                entries.string(i == 0 ? "METRICS" : "OUTPUT");
                entries.zigzag(T0);
                entries.zigzag(T0 + 1);
                entries.varint(12);
            }
            final Path file = dir.resolve("four-fields-" + k + ".rla");
            Files.write(file, ArchiveMutator.repairChecksums(withPayload(Files.readAllBytes(GOLDEN_1_0),
                BlockType.THROTTLE, Arrays.copyOf(entries.array(), entries.size()))));
            try (ArchiveReader r = ArchiveReader.open(file)) {
                final io.runlog.ArchiveFormatException e = assertThrows(io.runlog.ArchiveFormatException.class,
                    () -> r.read(new ArchiveVisitor() { }), k + " entries");
                assertTrue(e.getMessage().contains("(THROTTLE)"), e.getMessage());
            }
        }
    }

    /** {@code archive} with the payload of its (first) block of {@code type} replaced; checksums left stale. */
    private static byte[] withPayload(final byte[] archive, final BlockType type, final byte[] payload) {
        int pos = FileHeaderDescriptor.LENGTH;
        while (true) {
            final int length = (int) ByteSink.INT_LE.get(archive, pos + BlockHeaderDescriptor.PAYLOAD_LENGTH_OFFSET);
            final int next = (int) (pos + BlockHeaderDescriptor.frameLength(length));
            if ((archive[pos + BlockHeaderDescriptor.TYPE_OFFSET] & 0xFF) == type.code) {
                final ByteSink out = new ByteSink(archive.length + payload.length);
                out.bytes(archive, 0, pos + BlockHeaderDescriptor.LENGTH);
                ByteSink.INT_LE.set(out.array(), pos + BlockHeaderDescriptor.PAYLOAD_LENGTH_OFFSET, payload.length);
                out.bytes(payload, 0, payload.length);
                out.u32(0);
                out.bytes(archive, next, archive.length - next);
                return Arrays.copyOf(out.array(), out.size());
            }
            pos = next;
        }
    }

    /** The fixed identity of the golden archives: the file and its checked copy (experiments get a random one at creation). */
    private static void giveSourceId(final Path experimentDir) throws IOException {
        Files.writeString(io.runlog.store.StoreLayout.sourceIdFile(experimentDir), SOURCE_ID + "\n");
        io.runlog.store.SourceIdRecord.record(io.runlog.store.FileSystemFacade.DEFAULT, experimentDir, SOURCE_ID);
    }
}
