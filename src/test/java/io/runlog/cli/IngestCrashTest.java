package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code runlog ingest} interrupted in its write phase, by SIGINT (Ctrl-C) or SIGKILL, in a real
 * child JVM: the interrupted run leaves a prefix, and running the same command again ends with
 * every row exactly once, bit for bit; a third run adds nothing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IngestCrashTest {
    private static final int ROWS = 1_200_000;
    private static final String[] METRICS = {"loss", "lr", "acc", "grad norm"};

    @TempDir
    Path dir;

    private static double value(final long row) {
        return Math.round(1e6 / (row + 1.0)) / 1e3;
    }

    private Path bigFile() throws IOException {
        final Path file = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("metric,step,timestamp,value\n");
            for (long i = 0; i < ROWS; i++) {
                w.write(METRICS[(int) (i % 4)] + "," + i / 4 + "," + (1_700_000_000_000L + i) + "," + value(i) + "\n");
            }
        }
        return file;
    }

    private static long reached(final Path store) {
        final Path marks = store.resolve("projects/default/experiments/big/ingest-marks");
        if (!Files.isDirectory(marks)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(marks)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".mark")) {
                    for (final String line : Files.readAllLines(p)) {
                        if (line.startsWith("reached\t")) {
                            return Long.parseLong(line.substring(8));
                        }
                    }
                }
            }
        } catch (final IOException | RuntimeException e) {
            return 0; // being replaced: ask again
        }
        return 0;
    }

    private static long points(final Path store) {
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project("default").openExperiment("big")) {
            return e.pointCount();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGINT", "SIGKILL"})
    void shouldAddExactlyWhatIsMissingWhenRunAgainAfterAnInterrupt(final String signal) throws Exception {
        final Path file = bigFile();
        final Path store = dir.resolve("store");
        try (ChildJvm.Child child = ChildJvm.of(RunlogCommand.class, dir.resolve("child"))
            .args("ingest", "--dir", store, "--disk-reserve", "0", file).start()) {
            child.await("two progress marks", Duration.ofMinutes(2), () -> reached(store) >= 2L * IngestCommand.MARK_EVERY);
            if (signal.equals("SIGKILL")) {
                child.killNine();
            } else {
                assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
                final int exit = child.awaitExit(Duration.ofMinutes(1));
                assertEquals(130, exit, child::output);
                assertTrue(child.output().contains("runlog: error: interrupted at " + file + ":"), child::output);
                assertTrue(child.output().contains("running the same command again adds the rest"), child::output);
            }
        }
        final long left = points(store);
        assertTrue(left > 0 && left < ROWS, "the interrupt landed mid-write: " + left + " of " + ROWS + " rows");

        final CliRunner.Result again = CliRunner.run("ingest", "--dir", store.toString(), file.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().contains("(resumed: "), again::toString);
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project("default").openExperiment("big")) {
            for (int m = 0; m < METRICS.length; m++) {
                final MetricSeries series = e.readMetric(METRICS[m]);
                assertEquals(ROWS / 4, series.size(), METRICS[m] + ": every row exactly once");
                for (int k = 0; k < series.size(); k++) {
                    final long row = 4L * k + m;
                    if (series.step(k) != k || series.timestamp(k) != 1_700_000_000_000L + row
                        || series.value(k) != value(row)) {
                        throw new AssertionError(METRICS[m] + " point " + k + " is " + series.step(k) + ","
                            + series.timestamp(k) + "," + series.value(k));
                    }
                }
            }
        }
        final CliRunner.Result third = CliRunner.run("ingest", "--dir", store.toString(), file.toString());
        assertEquals(0, third.exit(), third::toString);
        assertTrue(third.err().contains("nothing added"), third::toString);
        assertEquals(ROWS, points(store));
    }
}
