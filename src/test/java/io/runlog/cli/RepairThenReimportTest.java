package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * After {@code runlog check --repair} cut an imported (or ingested) experiment's journal, importing
 * the same archive (or ingesting the same CSV) again brings back exactly the lost entries, once.
 */
public class RepairThenReimportTest {
    @TempDir
    Path dir;

    private Path client() {
        return dir.resolve("client");
    }

    private Path imp() {
        return dir.resolve("imp");
    }

    private void fillClient() {
        try (RunlogStore store = RunlogStore.open(client(), CliRunner.options());
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run1")) {
            for (int i = 0; i < 5_000; i++) {
                e.log("loss", i, 1_700_000_000_000L + i, i % 97 == 0 ? Double.NaN : 1.0 / (i + 1));
                if (i % 2 == 0) {
                    e.log("acc", i, 1_700_000_000_000L + i, i / 5000.0);
                }
                if (i % 250 == 0) {
                    e.logParameter("lr", 1e-3 * (i + 1));
                    e.logOutput(OutputChannel.STDOUT, "epoch " + i);
                    e.logItem(ItemType.IMAGE, "img" + i, Map.of("i", Integer.toString(i)), new byte[]{(byte) i, 1, 2});
                    e.sync(); // the records of all types spread over the whole journal
                }
            }
        }
    }

    /**
     * Flips one byte of the experiment's last cycle file: {@code back} bytes before the end of its
     * data, or (a negative {@code back}) at {@code -back} percent of it.
     */
    public static void flipNearTheEnd(final Path experimentDir, final long back) throws IOException {
        final Path cycle;
        try (Stream<Path> files = Files.list(StoreLayout.journalDir(experimentDir))) {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.CYCLE_FILE_SUFFIX)).sorted()
                .reduce((a, b) -> b).orElseThrow();
        }
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
            final long at = back >= 0 ? end - back : end * -back / 100;
            f.seek(at);
            final int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }

    private static long count(final Pattern p, final String text) {
        final Matcher m = p.matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static long entries(final Experiment e) {
        return e.parameterHistory("lr").size() + e.outputLines().size() + e.items().size();
    }

    @Test
    void shouldAddExactlyTheEntriesTheRepairCutWhenTheSameArchiveIsImportedAgain() throws IOException {
        fillClient();
        final Path archive = dir.resolve("run1.rla");
        assertEquals(0, CliRunner.run("export", "--dir", client().toString(), "--project", "p", "--experiment", "run1",
            "-o", archive.toString()).exit());
        assertEquals(0, CliRunner.run("import", "--dir", imp().toString(), archive.toString()).exit());
        final Path expDir = imp().resolve("projects/p/experiments/run1");
        flipNearTheEnd(expDir, 8_000); // in the points: the import writes them first, then the other types
        final CliRunner.Result repaired = CliRunner.run("check", "--dir", imp().toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired::toString);
        final long heldPoints;
        final long heldOthers;
        try (RunlogStore store = RunlogStore.open(imp(), CliRunner.options());
             Experiment e = store.project("p").openExperiment("run1")) {
            heldPoints = e.pointCount();
            heldOthers = entries(e);
        }
        assertTrue(heldPoints < 7_500, "the cut removed points: " + heldPoints + "\n" + repaired);
        final String report = Files.readString(Files.list(imp().resolve("salvage")).findFirst().orElseThrow()
            .resolve("p/run1/REPORT.txt"));
        assertTrue(heldOthers < 60, "the cut removed other entries: " + heldOthers);
        assertTrue(report.contains("lowered the import marks of source"), report);

        final CliRunner.Result again = CliRunner.run("import", "--dir", imp().toString(), archive.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(7_500 - heldPoints, count(Pattern.compile("added ([0-9,]+) points"), again.err() + again.out()),
            again::toString);
        assertEquals(3 * 20 - heldOthers, count(Pattern.compile("and ([0-9,]+) other entries"), again.err() + again.out()),
            again::toString);
        assertSameData();
        final CliRunner.Result third = CliRunner.run("import", "--dir", imp().toString(), archive.toString());
        assertEquals(0, count(Pattern.compile("added ([0-9,]+) points"), third.err() + third.out()), third::toString);
        assertSameData();
    }

    private void assertSameData() {
        try (RunlogStore a = RunlogStore.open(client(), CliRunner.options());
             RunlogStore b = RunlogStore.open(imp(), CliRunner.options());
             Experiment x = a.project("p").openExperiment("run1");
             Experiment y = b.project("p").openExperiment("run1")) {
            assertEquals(x.metrics(), y.metrics());
            for (final var m : x.metrics()) {
                final var s = x.readMetric(m.name());
                final var t = y.readMetric(m.name());
                assertArrayEquals(Arrays.copyOf(s.steps(), s.size()), Arrays.copyOf(t.steps(), t.size()));
                assertArrayEquals(Arrays.copyOf(s.timestamps(), s.size()), Arrays.copyOf(t.timestamps(), t.size()));
                assertArrayEquals(Arrays.copyOf(s.valueBitsArray(), s.size()), Arrays.copyOf(t.valueBitsArray(), t.size()));
            }
            assertEquals(x.parameterHistory("lr"), y.parameterHistory("lr"));
            assertEquals(x.outputLines(), y.outputLines());
            assertEquals(x.items(), y.items());
            for (final var item : x.items()) {
                assertArrayEquals(x.readPayload(item), y.readPayload(item));
            }
        }
    }

    @Test
    void shouldAddExactlyTheRowsTheRepairCutWhenTheSameCsvIsIngestedAgain() throws IOException {
        final Path csv = dir.resolve("m.csv");
        final StringBuilder b = new StringBuilder("metric,step,value\n");
        for (int i = 0; i < 5_000; i++) {
            b.append("loss,").append(i).append(',').append(1.0 / (i + 1)).append('\n');
            b.append("acc,").append(i).append(',').append(i / 5000.0).append('\n');
        }
        Files.writeString(csv, b);
        final Path store = dir.resolve("ing");
        assertEquals(0, CliRunner.run("ingest", "--dir", store.toString(), "--project", "p", "--experiment", "m",
            csv.toString()).exit());
        final Map<String, double[]> before = read(store);
        flipNearTheEnd(store.resolve("projects/p/experiments/m"), 600);
        final CliRunner.Result repaired = CliRunner.run("check", "--dir", store.toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired::toString);
        final long held = read(store).values().stream().mapToLong(v -> v.length / 2).sum();
        assertTrue(held < 10_000, "the cut removed rows: " + held);
        assertTrue(repaired.out().contains("set the ingest mark of " + csv + " back to in-progress"), repaired::toString);

        final CliRunner.Result again = CliRunner.run("ingest", "--dir", store.toString(), "--project", "p",
            "--experiment", "m", csv.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(10_000 - held, count(Pattern.compile("ingested ([0-9,]+) rows"), again.err()), again::toString);
        final Map<String, double[]> after = read(store);
        assertEquals(before.keySet(), after.keySet());
        for (final String m : before.keySet()) {
            assertArrayEquals(before.get(m), after.get(m), m);
        }
        final CliRunner.Result third = CliRunner.run("ingest", "--dir", store.toString(), "--project", "p",
            "--experiment", "m", csv.toString());
        assertEquals(0, third.exit(), third::toString);
        assertTrue(third.err().contains("nothing added"), third::toString);
    }

    @Test
    void shouldAddBothFilesRowsExactlyWhenTheCutReachedIntoTheFirstOfTwoIngestedFiles() throws IOException {
        final Path a = dir.resolve("a.csv");
        final Path b = dir.resolve("b.csv");
        final StringBuilder x = new StringBuilder("metric,step,value\n");
        final StringBuilder y = new StringBuilder("metric,step,value\n");
        for (int i = 0; i < 5_000; i++) {
            x.append("loss,").append(i).append(',').append(1.0 / (i + 1)).append('\n');
            y.append("loss,").append(5_000 + i).append(',').append(-1.0 / (i + 1)).append('\n');
        }
        Files.writeString(a, x);
        Files.writeString(b, y);
        final Path store = dir.resolve("ing");
        for (final Path f : new Path[]{a, b}) {
            assertEquals(0, CliRunner.run("ingest", "--dir", store.toString(), "--project", "p", "--experiment", "m",
                f.toString()).exit());
        }
        final Map<String, double[]> before = read(store);
        // a flip far enough back to land inside the first file's points: doubled from 2 KB until it does
        final Path pristine = dir.resolve("pristine");
        copyTree(store, pristine);
        CliRunner.Result repaired = null;
        long held = 10_000;
        for (long back = 2_000; back < 1 << 22 && held >= 5_000; back *= 2) {
            deleteTree(store);
            copyTree(pristine, store);
            flipNearTheEnd(store.resolve("projects/p/experiments/m"), back);
            repaired = CliRunner.run("check", "--dir", store.toString(), "--repair");
            assertEquals(0, repaired.exit(), repaired::toString);
            held = read(store).get("loss").length / 2;
        }
        final CliRunner.Result r = repaired;
        assertTrue(held < 5_000, "the cut reached into the first file: " + held + "\n" + r);
        assertTrue(r.out().contains("the repair removed every row of that file"), r::toString);
        long added = 0;
        for (final Path f : new Path[]{a, b}) { // in the order they were first ingested
            final CliRunner.Result again = CliRunner.run("ingest", "--dir", store.toString(), "--project", "p",
                "--experiment", "m", f.toString());
            assertEquals(0, again.exit(), again::toString);
            added += count(Pattern.compile("ingested ([0-9,]+) rows"), again.err());
        }
        assertEquals(10_000 - held, added);
        assertArrayEquals(before.get("loss"), read(store).get("loss"));
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                final Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static void deleteTree(final Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static Map<String, double[]> read(final Path store) {
        final Map<String, double[]> m = new java.util.TreeMap<>();
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project("p").openExperiment("m")) {
            for (final var info : e.metrics()) {
                final var series = e.readMetric(info.name());
                final double[] v = new double[series.size() * 2];
                for (int i = 0; i < series.size(); i++) {
                    v[2 * i] = series.step(i);
                    v[2 * i + 1] = Double.longBitsToDouble(series.valueBits(i));
                }
                m.put(info.name(), v);
            }
        }
        return m;
    }
}
