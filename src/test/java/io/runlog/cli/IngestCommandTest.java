package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IngestCommandTest {
    /** The real training curves of the shared data set; -Drunlog.test.curves=DIR points elsewhere. */
    private static final Path CURVES = Path.of(System.getProperty("runlog.test.curves", "/work/shared/data/curves"));

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private CliRunner.Result ingest(final Path file, final String... more) {
        final List<String> args = new ArrayList<>(List.of("ingest", "--dir", store().toString()));
        args.addAll(List.of(more));
        args.add(file.toString());
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static MetricSeries series(final Path store, final String project, final String key, final String metric) {
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project(project).openExperiment(key)) {
            return e.readMetric(metric);
        }
    }

    private static List<MetricInfo> metrics(final Path store, final String project, final String key) {
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project(project).openExperiment(key)) {
            return e.metrics();
        }
    }

    private static void assertError(final CliRunner.Result r, final String messageStart) {
        assertEquals(RunlogCommand.EXIT_ERROR, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.err().lines().count(), () -> "exactly one line on stderr\n" + r);
        assertTrue(r.err().startsWith("runlog: error: " + messageStart), () -> "expected 'runlog: error: "
            + messageStart + "...'\n" + r);
    }

    // ------------------------------------------------------------------ real curves

    static Stream<Arguments> realCurves() {
        return Stream.of(
            Arguments.of("gpt2-124m-llmc.csv", Map.of("train_loss", 19_560L, "lr", 19_560L, "grad_norm", 19_560L, "val_loss", 80L)),
            Arguments.of("rl-a2c-humanoid.csv", Map.of("episode_reward", 26_377L, "episode_length", 26_377L)));
    }

    @ParameterizedTest
    @MethodSource("realCurves")
    void shouldIngestRealCurvesIntoAnExperimentNamedAfterTheFile(final String name, final Map<String, Long> counts)
        throws IOException {
        final Path file = CURVES.resolve(name);
        assumeTrue(Files.isRegularFile(file), () -> "real curve " + file + " not available");
        final String key = name.substring(0, name.length() - ".csv".length());

        final CliRunner.Result r = ingest(file);

        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.out());
        final long rows = counts.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(String.format(Locale.ROOT, "ingested %,d rows of %d metrics from %s into experiment default/%s%n", rows,
            counts.size(), file, key), r.err());
        final Map<String, Long> stored = new HashMap<>();
        metrics(store(), "default", key).forEach(m -> stored.put(m.name(), m.count()));
        assertEquals(counts, stored);
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options())) {
            assertEquals(ProjectKind.EXPERIMENT_MANAGEMENT, s.project("default").kind());
        }
        assertEveryRowStored(file, key);
    }

    /** Reads the file with a plain split (no quotes in these files) and compares point by point. */
    private void assertEveryRowStored(final Path file, final String key) throws IOException {
        final Map<String, List<String[]>> rows = new LinkedHashMap<>();
        final List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("metric", "step", "value", "timestamp"), List.of(lines.get(0).split(",", -1)));
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",", -1);
            rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        for (final Map.Entry<String, List<String[]>> metric : rows.entrySet()) {
            final MetricSeries s = series(store(), "default", key, metric.getKey());
            assertEquals(metric.getValue().size(), s.size());
            for (int i = 0; i < s.size(); i++) {
                final String[] f = metric.getValue().get(i);
                assertEquals(Long.parseLong(f[1]), s.step(i));
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(f[2])), s.valueBits(i), f[2]);
                final long ts = f[3].isEmpty() ? CliRunner.NOW
                    : new BigDecimal(f[3]).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
                assertEquals(ts, s.timestamp(i), f[3]);
            }
        }
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void shouldConvertTimestampsEmptyToStoreClockIntegerToMillisAndFractionToSecondsRoundedHalfUp() throws IOException {
        final Path file = write("t.csv", """
            metric,step,value,timestamp
            m,0,1.0,
            m,1,1.0,1652872866869
            m,2,1.0,1652872866.869395
            m,3,1.0,1652872866.8695
            m,4,1.0,1652872866.8694999
            m,5,1.0,1.5e3
            m,6,1.0,-1.0005
            m,7,1.0, 42\s
            """);

        assertEquals(0, ingest(file).exit());

        final MetricSeries s = series(store(), "default", "t", "m");
        assertEquals(List.of(CliRunner.NOW, 1652872866869L, 1652872866869L, 1652872866870L, 1652872866869L,
            1_500_000L, -1001L, 42L), longs(s.timestamps(), s.size()));
    }

    @Test
    void shouldReadColumnsInAnyOrderWithQuotedFieldsAndWithoutTimestampColumn() throws IOException {
        final Path file = write("q.csv", "\uFEFFvalue,\"metric\",step\r\n"
            + "0.5,\"loss, \"\"train\"\"\",3\r\n"
            + "\r\n"
            + "nan,acc,4\r\n"
            + "-INF,acc,5\r\n"
            + "NaN:0x7ff80000deadbeef,acc,6\r\n"
            + " 2.5e-1 ,acc,-7\r\n");

        final CliRunner.Result r = ingest(file, "--project", "vision", "--experiment", "run-1");

        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of(new MetricInfo("loss, \"train\"", 1), new MetricInfo("acc", 4)), metrics(store(), "vision", "run-1"));
        final MetricSeries loss = series(store(), "vision", "run-1", "loss, \"train\"");
        assertEquals(3, loss.step(0));
        assertEquals(0.5, loss.value(0));
        assertEquals(CliRunner.NOW, loss.timestamp(0));
        final MetricSeries acc = series(store(), "vision", "run-1", "acc");
        assertEquals(List.of(0x7ff8000000000000L, 0xfff0000000000000L, 0x7ff80000deadbeefL,
            Double.doubleToRawLongBits(0.25)), longs(acc.valueBitsArray(), acc.size()));
        assertEquals(List.of(4L, 5L, 6L, -7L), longs(acc.steps(), acc.size()));
    }

    @Test
    void shouldAppendAnotherFileToAnExistingExperimentAndTheSameFileOnlyOnce() throws IOException {
        final Path file = write("a.csv", "metric,step,value\nm,0,1\nm,1,2\n");
        assertEquals(0, ingest(file).exit());
        final CliRunner.Result again = ingest(file);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().contains("was ingested into experiment default/a already (same content): nothing added"),
            again::toString);
        assertEquals(List.of(new MetricInfo("m", 2)), metrics(store(), "default", "a"));
        final Path more = write("b.csv", "metric,step,value\nm,2,3\nm,3,4\n");
        assertEquals(0, ingest(more, "--experiment", "a").exit());
        assertEquals(List.of(new MetricInfo("m", 4)), metrics(store(), "default", "a"));
    }

    @Test
    void aDamagedIngestMarkIsRefusedWithAdviceThatDoesNotDuplicateTheRowsAlreadyIngested() throws IOException {
        final Path file = write("a.csv", "metric,step,value\nm,0,1\nm,1,2\n");
        assertEquals(0, ingest(file).exit());
        final Path marks = store().resolve("projects/default/experiments/a/ingest-marks");
        final Path mark;
        try (var list = Files.list(marks)) {
            mark = list.findFirst().orElseThrow();
        }
        Files.writeString(mark, Files.readString(mark).replace("rows\t2", "rows\tx2"));
        final CliRunner.Result r = ingest(file);
        assertError(r, "ingest mark " + mark + " is damaged");
        assertFalse(r.err().contains("delete it to ingest the file again"), "deleting it would ingest the rows twice: " + r);
        assertFalse(r.err().contains("java.lang."), "says what is wrong, not the exception's class: " + r);
        assertTrue(r.err().contains("--experiment"), r::toString);
        assertEquals(List.of(new MetricInfo("m", 2)), metrics(store(), "default", "a"), "nothing added");
    }

    @Test
    void shouldRefuseAFileOverTheUniqueMetricsLimitWithItsLineAndStoreNothing() throws IOException {
        final StringBuilder csv = new StringBuilder("metric,step,value\n");
        for (int i = 0; i < 50_001; i++) {
            csv.append("m").append(i).append(",0,1\n");
        }
        final Path file = write("wide.csv", csv.toString());
        final CliRunner.Result r = ingest(file);
        assertError(r, file + ":50002: metric 'm50000' would be metric number 50,001 of experiment default/wide, over"
            + " the hard limit 'uniqueMetrics' of 50,000; nothing was ingested");
        assertFalse(Files.exists(store()), "nothing created");
        // an existing experiment's metrics count too
        assertEquals(0, ingest(write("one.csv", "metric,step,value\nother,0,1\n"), "--experiment", "wide").exit());
        final Path almost = write("almost.csv", csv.substring(0, csv.indexOf("m50000,")));
        final CliRunner.Result r2 = ingest(almost, "--experiment", "wide");
        assertError(r2, almost + ":50001: metric 'm49999' would be metric number 50,001");
        assertEquals(List.of(new MetricInfo("other", 1)), metrics(store(), "default", "wide"));
    }

    @Test
    void shouldCreateTheExperimentOfflineWithTheOfflineFlag() throws IOException {
        final Path file = write("off.csv", "metric,step,value\nm,0,1\n");
        assertEquals(0, ingest(file, "--offline").exit());
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.project("default").openExperiment("off")) {
            assertTrue(e.isOffline());
        }
        assertEquals(0, ingest(write("on.csv", "metric,step,value\nm,0,1\n")).exit());
        assertError(ingest(write("on2.csv", "metric,step,value\nm,1,1\n"), "--experiment", "on", "--offline"),
            "experiment default/on exists and is not offline");
    }

    @Test
    void shouldAcceptAHeaderWithoutRows() throws IOException {
        final CliRunner.Result r = ingest(write("empty-run.csv", "metric,step,value,timestamp\n"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of(), metrics(store(), "default", "empty-run"));
    }

    @Test
    void shouldDeriveTheExperimentKeyFromTheFileName() {
        assertEquals("gpt2-124m-llmc", IngestCommand.keyFromFileName(Path.of("/x/gpt2-124m-llmc.csv")));
        assertEquals("my_run_1.v2", IngestCommand.keyFromFileName(Path.of("my run#1.v2.csv")));
        assertEquals("run_", IngestCommand.keyFromFileName(Path.of("__run\u00e9.txt")));
        assertEquals("noext", IngestCommand.keyFromFileName(Path.of("noext")));
        assertEquals("hidden", IngestCommand.keyFromFileName(Path.of(".hidden")));
        assertEquals(128, IngestCommand.keyFromFileName(Path.of("k".repeat(300) + ".csv")).length());
    }

    // ------------------------------------------------------------------ atomicity: malformed files

    static Stream<Arguments> malformed() {
        final String header = "metric,step,value,timestamp\n";
        final String good = "loss,0,1.5,\nloss,1,1.25,1000\n";
        return Stream.of(
            Arguments.of("bad number", header + good + "loss,2,1.2.3,\n", "bad.csv:4: value: '1.2.3' is not a number"),
            Arguments.of("bad step", header + good + "loss,two,1,\n", "bad.csv:4: step 'two' is not an integer"),
            Arguments.of("bad timestamp", header + good + "loss,2,1,yesterday\n",
                "bad.csv:4: timestamp 'yesterday' is neither empty"),
            Arguments.of("timestamp out of range", header + good + "loss,2,1,1e300\n", "bad.csv:4: timestamp '1e300' seconds"),
            Arguments.of("missing column", "metric,step,timestamp\nloss,0,\n", "bad.csv:1: the header has no 'value' column"),
            Arguments.of("wrong header", "loss,0,1.5,\n" + good, "bad.csv:1: unknown column 'loss'"),
            Arguments.of("duplicate column", "metric,step,value,step\n", "bad.csv:1: column 'step' appears twice"),
            Arguments.of("empty file", "", "bad.csv:1: the file is empty"),
            Arguments.of("empty metric name", header + good + ",2,1,\n", "bad.csv:4: metric name is empty"),
            Arguments.of("control character", header + good + "lo\u0007ss,2,1,\n",
                "bad.csv:4: metric name 'lo\\u0007ss' holds control character U+0007"),
            Arguments.of("too many fields", header + good + "loss,2,1,,extra\n",
                "bad.csv:4: too many fields: expected 4 (as the header has), found 5"),
            Arguments.of("too few fields", header + good + "loss,2,1\n", "bad.csv:4: too few fields: expected 4"),
            Arguments.of("unclosed quote", header + good + "\"loss,2,1,\n", "bad.csv:4: field 1: quoted field is not closed"),
            Arguments.of("value overflowing to infinity", header + good + "loss,2,1e999,\n",
                "bad.csv:4: value: '1e999' overflows a double"),
            Arguments.of("negative value overflowing", header + good + "loss,2,-2e308,\n",
                "bad.csv:4: value: '-2e308' overflows a double"),
            Arguments.of("value underflowing to zero", header + good + "loss,2,1e-400,\n",
                "bad.csv:4: value: '1e-400' underflows a double to zero"),
            Arguments.of("bad line after many good ones", header + good.repeat(500) + "loss,2,oops,\n" + good,
                "bad.csv:1002: value: 'oops' is not a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedLineWithItsLineNumberAndCreateNoStore(final String what, final String content,
                                                                      final String message) throws IOException {
        final Path file = write("bad.csv", content);
        assertError(ingest(file), file + message.substring("bad.csv".length()));
        assertFalse(Files.exists(store()), "a rejected file must not even create the store");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldLeaveAnExistingStoreUnchangedWhenAFileIsMalformed(final String what, final String content,
                                                                 final String message) throws IOException {
        assertEquals(0, ingest(write("bad.csv", "metric,step,value\nloss,0,9\nother,5,NaN\n")).exit());
        assertEquals(0, ingest(write("kept.csv", "metric,step,value\nx,0,1\n")).exit());
        final String before = StoreSnapshot.of(store());

        final CliRunner.Result r = ingest(write("bad.csv", content));

        assertError(r, tmp.resolve("bad.csv") + message.substring("bad.csv".length()));
        assertEquals(before, StoreSnapshot.of(store()));
    }

    @Test
    void shouldNotCreateTheExperimentWhenItsFileIsMalformed() throws IOException {
        assertEquals(0, ingest(write("first.csv", "metric,step,value\nloss,0,9\n")).exit());

        final CliRunner.Result r = ingest(write("second.csv", "metric,step,value\nloss,0,9\nloss,1,x\n"),
            "--project", "other");

        assertError(r, tmp.resolve("second.csv") + ":3: value: 'x' is not a number");
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options())) {
            assertEquals(List.of("default"), s.projects().stream().map(p -> p.name()).toList());
            assertEquals(List.of("first"), s.project("default").experimentKeys());
        }
    }

    @Test
    void shouldRejectInvalidUtf8WithItsLineNumber() throws IOException {
        final Path file = tmp.resolve("latin1.csv");
        Files.write(file, "metric,step,value\nloss,0,1\nl\u00f6ss,1,2\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(ingest(file), file + ":3: line is not valid UTF-8");
        assertFalse(Files.exists(store()));
    }

    // ------------------------------------------------------------------ unreadable input

    @Test
    void shouldReportAMissingFile() {
        final Path file = tmp.resolve("nope.csv");
        assertError(ingest(file), "cannot read " + file + ": no such file");
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportAFileThatIsADirectory() throws IOException {
        final Path dir = Files.createDirectory(tmp.resolve("adir.csv"));
        assertError(ingest(dir), dir + " is a directory, not a CSV file");
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportAnUnreadableFile() throws IOException {
        final Path file = write("secret.csv", "metric,step,value\nm,0,1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "permissions do not restrict this user (root)");
        assertError(ingest(file), "cannot read " + file + ": permission denied");
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportAFileWhoseReadFails() {
        final Path mem = Path.of("/proc/self/mem"); // readable, but reading offset 0 fails with EIO
        assumeTrue(Files.isReadable(mem), "needs Linux /proc");
        assertError(ingest(mem), "cannot read " + mem + ": ");
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldRejectAnInvalidExperimentKeyBeforeReadingTheFile() throws IOException {
        final CliRunner.Result r = ingest(write("ok.csv", "metric,step,value\nm,0,1\n"), "--experiment", "bad key");
        assertError(r, "experiment key 'bad key' has ' ' at index 3");
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportAStoreDirectoryThatIsAFile() throws IOException {
        final Path notADir = write("store", "x");
        final CliRunner.Result r = ingest(write("ok.csv", "metric,step,value\nm,0,1\n"));
        assertError(r, "store path " + notADir.toAbsolutePath() + " is a file");
    }

    // ------------------------------------------------------------------ usage

    @Test
    void shouldExplainTheAtomicityRuleInHelp() {
        final CliRunner.Result r = CliRunner.run("ingest", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("All or nothing"), r.out());
        assertTrue(r.out().contains("--experiment=E"), r.out());
    }

    @Test
    void shouldExitWithUsageErrorWithoutAFile() {
        final CliRunner.Result r = CliRunner.run("ingest");
        assertEquals(RunlogCommand.EXIT_USAGE, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Missing required parameter: 'FILE'"), r::toString);
        assertTrue(r.err().contains("Run 'runlog ingest --help' for usage."), r::toString);
    }

    private static List<Long> longs(final long[] array, final int size) {
        final List<Long> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            list.add(array[i]);
        }
        return list;
    }
}
