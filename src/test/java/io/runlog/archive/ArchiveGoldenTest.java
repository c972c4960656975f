package io.runlog.archive;

import io.runlog.DataType;
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
import io.runlog.ThrottleWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * Golden file: {@code src/test/resources/golden/archive-v1.rla} is the archive this build writes
 * for a fixed experiment (fixed clock, fixed source identity), byte for byte, and this build
 * reads it back to the exact content. A format change must change the golden file (and the
 * version, see docs/format/archive.md) on purpose: run with {@code -Drunlog.golden.update=true}
 * to rewrite it, then review. The second test pins the file header and trailer bytes.
 */
class ArchiveGoldenTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final Path GOLDEN = Path.of("src/test/resources/golden/archive-v1.rla");
    private static final String SOURCE_ID = "00112233445566778899aabbccddeeff";

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
    void shouldWriteTheGoldenArchiveByteForByte() throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0).backgroundDrain(false).diskReserveBytes(0);
        final Path out = dir.resolve("golden.rla");
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options);
             Experiment e = store.createProject("golden", ProjectKind.LLM).createOfflineExperiment("exp-1")) {
            log(e);
            Files.writeString(io.runlog.store.StoreLayout.sourceIdFile(e.directory()), SOURCE_ID + "\n");
            ArchiveFixtures.throttle(store, "golden", "exp-1", DataType.PARAMETERS, T0 + 5, 7);
            e.export(out);
        }
        final byte[] written = Files.readAllBytes(out);
        if (Boolean.getBoolean("runlog.golden.update")) {
            Files.write(GOLDEN, written);
        }
        assertArrayEquals(Files.readAllBytes(GOLDEN), written,
            "the archive format changed; if on purpose, rerun with -Drunlog.golden.update=true and review");
    }

    @Test
    void shouldReadTheGoldenArchiveToItsContent() {
        final List<String> seen = new ArrayList<>();
        final List<Parameter> params = new ArrayList<>();
        final List<OutputLine> lines = new ArrayList<>();
        final List<Prompt> prompts = new ArrayList<>();
        final List<ThrottleWarning> flags = new ArrayList<>();
        final long[][] odd = new long[3][];
        final ArchiveSummary s;
        try (ArchiveReader r = ArchiveReader.open(GOLDEN)) {
            s = r.read(new ArchiveVisitor() {
                @Override
                public void points(final int metric, final long first, final int n, final long[] steps,
                                   final long[] timestamps, final long[] valueBits) {
                    seen.add(metric + ":" + first + ":" + n);
                    if (metric == 2) {
                        odd[0] = java.util.Arrays.copyOf(steps, n);
                        odd[1] = java.util.Arrays.copyOf(timestamps, n);
                        odd[2] = java.util.Arrays.copyOf(valueBits, n);
                    }
                }

                @Override
                public void parameters(final List<Parameter> values) {
                    params.addAll(values);
                }

                @Override
                public void output(final List<OutputLine> l) {
                    lines.addAll(l);
                }

                @Override
                public void throttle(final ThrottleWarning w) {
                    flags.add(w);
                }

                @Override
                public void prompts(final List<Prompt> p) {
                    prompts.addAll(p);
                }

                @Override
                public void item(final Item item, final InputStream payload) {
                    try {
                        assertEquals("payload", new String(payload.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    assertEquals("sample", item.name());
                    assertEquals(Map.of("step", "1", "format", "png"), item.metadata());
                }
            });
        }
        assertEquals(new ArchiveHeader("golden", ProjectKind.LLM, "exp-1", T0, true, SOURCE_ID, T0), s.header());
        assertEquals(List.of("loss", "lr", "odd"), s.metricNames());
        assertEquals(List.of("0:0:20", "1:0:20", "2:0:4"), seen);
        assertArrayEquals(new long[] {-7, 5, 5, Long.MAX_VALUE}, odd[0]);
        assertArrayEquals(new long[] {T0, T0 + 1, T0 + 2, Long.MIN_VALUE}, odd[1]);
        assertArrayEquals(new long[] {0x7ff0000000000001L, 0x8000000000000000L,
            Double.doubleToRawLongBits((float) 0.1), 1L}, odd[2]);
        assertEquals(5, params.size());
        assertEquals(new Parameter("lr", io.runlog.ParameterType.DOUBLE, "0.002", Double.doubleToRawLongBits(2e-3), T0),
            params.get(2));
        assertEquals(List.of(new OutputLine(OutputChannel.STDOUT, "step 1 ✓", T0),
            new OutputLine(OutputChannel.STDERR, "warning", T0)), lines);
        assertEquals(List.of(new Prompt("2+2?", "4", Map.of("model", "m"), T0)), prompts);
        assertEquals(new ArchiveTotals(3, 44, 5, 2, 1, 1, 1, 7), s.totals());
        assertEquals(List.of(new ThrottleWarning(Map.of(DataType.PARAMETERS,
            new ThrottleWarning.Throttled(DataType.PARAMETERS, T0 + 5, T0 + 5, 7, 1, 1)))), flags);
    }

    @Test
    void shouldStartWithTheMagicAndVersionAndEndWithTheTrailerMagic() throws IOException {
        final byte[] b = Files.readAllBytes(GOLDEN);
        assertEquals("52554e4c4f474152" + "0100" + "0000", HexFormat.of().formatHex(b, 0, 12));
        assertEquals("RLAE", new String(b, b.length - 4, 4, StandardCharsets.US_ASCII));
    }
}
