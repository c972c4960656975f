package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesCommandTest {
    private static final long[] BITS = {
        Double.doubleToRawLongBits(1.5), 0x8000000000000000L, 0x7ff8000000000000L, 0x7ff80000deadbeefL,
        0xfff8000000000000L, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), 1L, Double.doubleToRawLongBits(Double.MAX_VALUE),
        Double.doubleToRawLongBits(0.1),
    };

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private void populate() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run-1")) {
            final MetricHandle loss = e.metric("loss");
            for (int i = 0; i < BITS.length; i++) {
                loss.log(10 - i, 1000 + i, Double.longBitsToDouble(BITS[i]));
            }
        }
    }

    private CliRunner.Result series(final String... more) {
        final List<String> args = new java.util.ArrayList<>(List.of("series", "--dir", store().toString()));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void shouldPrintTheSeriesInArrivalOrderWithValuesThatParseBackToTheSameBits() {
        populate();
        final CliRunner.Result r = series("--experiment", "run-1", "--metric", "loss");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        final List<String> lines = r.out().lines().toList();
        assertEquals("metric,step,timestamp,value", lines.get(0));
        assertEquals(List.of("loss,10,1000,1.5", "loss,9,1001,-0.0", "loss,8,1002,NaN", "loss,7,1003,NaN:0x7ff80000deadbeef",
            "loss,6,1004,NaN:0xfff8000000000000", "loss,5,1005,Infinity", "loss,4,1006,-Infinity", "loss,3,1007,4.9E-324",
            "loss,2,1008,1.7976931348623157E308", "loss,1,1009,0.1"), lines.subList(1, lines.size()));
        for (int i = 0; i < BITS.length; i++) {
            assertEquals(BITS[i], DoubleText.parseBits(lines.get(i + 1).split(",")[3]));
        }
    }

    @Test
    void shouldRoundTripThroughIngest() throws Exception {
        populate();
        final String csv = series("--experiment", "run-1", "--metric", "loss").out();
        final Path file = Files.writeString(tmp.resolve("copy.csv"), csv); // fed back as it is: it names the metric
        assertEquals(0, CliRunner.run("ingest", "--dir", store().toString(), file.toString()).exit());
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.project("default").openExperiment("copy")) {
            final MetricSeries copy = e.readMetric("loss");
            for (int i = 0; i < BITS.length; i++) {
                assertEquals(BITS[i], copy.valueBits(i));
                assertEquals(1000 + i, copy.timestamp(i));
            }
        }
    }

    @Test
    void shouldReportAnUnknownMetric() {
        populate();
        final CliRunner.Result r = series("--experiment", "run-1", "--metric", "accuracy");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: experiment default/run-1 has no metric 'accuracy'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void shouldReportAnUnknownExperiment() {
        populate();
        final CliRunner.Result r = series("--experiment", "run-9", "--metric", "loss");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: project 'default' has no experiment 'run-9'\n", r.err());
    }

    @Test
    void shouldReportAMissingStoreWithoutCreatingIt() {
        final CliRunner.Result r = series("--experiment", "run-1", "--metric", "loss");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: no store at " + store() + " (no such directory)\n", r.err());
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldRequireTheMetricOption() {
        final CliRunner.Result r = series("--experiment", "run-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Missing required option: '--metric=M'"), r::toString);
    }

    @Test
    void shouldPrintHelp() {
        final CliRunner.Result r = CliRunner.run("series", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("NaN:0x<16 hex digits of its bits>"), r.out());
    }
}
