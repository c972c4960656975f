package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runlog series --max N [--algo] [--x] [--from --to]}: the sampled series as the API gives it, same CSV. */
class SeriesSamplingCommandTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private void populate() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run-1")) {
            final MetricHandle loss = e.metric("loss");
            for (int i = 0; i < 5_000; i++) {
                final double v = i == 4_000 ? Double.longBitsToDouble(0x7ff80000deadbeefL) : Math.exp(-i / 900.0);
                loss.log(i, 100_000 - i, v);
            }
        }
    }

    private CliRunner.Result series(final String... more) {
        final List<String> args = new ArrayList<>(List.of("series", "--dir", store().toString(), "--experiment",
            "run-1", "--metric", "loss"));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private List<String> expected(final SampleQuery q) {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.project("default").openExperiment("run-1")) {
            final MetricSeries m = e.sampledMetric("loss", q);
            final List<String> lines = new ArrayList<>();
            lines.add("metric,step,timestamp,value");
            for (int i = 0; i < m.size(); i++) {
                lines.add("loss," + m.step(i) + "," + m.timestamp(i) + "," + DoubleText.formatBits(m.valueBits(i)));
            }
            return lines;
        }
    }

    @Test
    void shouldPrintTheSampledSeriesAsTheApiReturnsIt() {
        populate();
        final CliRunner.Result r = series("--max", "100");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        final List<String> lines = r.out().lines().toList();
        assertEquals(101, lines.size());
        assertEquals(expected(SampleQuery.ofMax(100)), lines);
        assertTrue(lines.contains("loss,4000,96000,NaN:0x7ff80000deadbeef"), "the NaN point is kept bit for bit");
        assertEquals("loss,0,100000,1.0", lines.get(1));
    }

    @Test
    void shouldSampleARangeOnTheTimestampAxisWithMinMaxLttb() {
        populate();
        final CliRunner.Result r = series("--max", "50", "--algo", "minmax-lttb", "--x", "timestamp",
            "--from", "96000", "--to", "99000");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(expected(SampleQuery.ofMax(50).withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB)
            .withAxis(SampleQuery.Axis.TIMESTAMP).withRange(96_000, 99_000)), r.out().lines().toList());
        final List<String> lines = r.out().lines().toList();
        assertEquals(51, lines.size());
        assertEquals("loss,4000,96000,NaN:0x7ff80000deadbeef", lines.get(1), "timestamp order; the NaN point first");
        assertEquals("loss,1000,99000,", lines.get(50).substring(0, 16));
    }

    @Test
    void shouldUseTheDefaultMaximumWhenOnlyARangeIsGiven() {
        populate();
        final CliRunner.Result r = series("--from", "10", "--to", "19");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(11, r.out().lines().count());
        final CliRunner.Result open = series("--from", "4990");
        assertEquals(11, open.out().lines().count(), open::toString);
    }

    @Test
    void shouldRejectBadSamplingFlagsAsUsageErrors() {
        populate();
        assertUsageError(series("--max", "2"), "runlog: error: --max: sampling needs a maximum of at least 3 points");
        assertUsageError(series("--max", "lots"), "runlog: error: Invalid value for option '--max'");
        assertUsageError(series("--max", "10", "--algo", "reservoir"),
            "runlog: error: Invalid value for option '--algo': expected lttb or minmax-lttb, got 'reservoir'");
        assertUsageError(series("--x", "wallclock"),
            "runlog: error: Invalid value for option '--x': expected step or timestamp, got 'wallclock'");
        assertUsageError(series("--from", "9", "--to", "3"),
            "runlog: error: --from/--to: sampling range is empty: from 9 is after to 3");
    }

    @Test
    void shouldReportAnUnknownMetricWhenSampling() {
        populate();
        final CliRunner.Result r = CliRunner.run("series", "--dir", store().toString(), "--experiment", "run-1",
            "--metric", "acc", "--max", "10");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: experiment default/run-1 has no metric 'acc'\n", r.err());
    }

    @Test
    void shouldDescribeSamplingInTheHelp() {
        final CliRunner.Result r = CliRunner.run("series", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--algo=ALGO"), r.out());
        assertTrue(r.out().contains("docs/sampling.md"), r.out());
    }

    private static void assertUsageError(final CliRunner.Result r, final String start) {
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(start), r::toString);
        assertEquals("", r.out());
    }
}
