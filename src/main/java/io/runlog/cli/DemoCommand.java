package io.runlog.cli;

import io.runlog.ExportResult;
import io.runlog.Experiment;
import io.runlog.ImportResult;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import io.runlog.chart.LineChart;
import io.runlog.internal.IoErrors;
import io.runlog.internal.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code runlog demo}: the whole story in one run, on the default directory. A training harness
 * logs an offline experiment on the hot path in a child JVM and is killed with SIGKILL midway;
 * the experiment reopens with nothing acknowledged lost, is exported to an archive, imported
 * twice into a tracking server's store (the second import adds nothing), live traffic from
 * several API keys goes through the ingestion gate until one is throttled, one long metric is
 * sampled with LTTB and drawn to a PNG, and a table sums up what this run measured.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Runs the whole story of Runlog in under a minute, measured.",
        "",
        "  1. a training harness (a child JVM) logs an offline experiment on the hot",
        "     path: loss (decaying, noisy, one NaN), lr (warm-up and cosine), accuracy,",
        "     grad_norm (with spikes);",
        "  2. the harness is killed with SIGKILL midway; the experiment reopens with",
        "     every acknowledged point present, bit for bit;",
        "  3. the experiment is exported to an archive (size, bytes per point);",
        "  4. a tracking-server store imports it, twice: the second import adds nothing;",
        "  5. live traffic from three API keys goes through the ingestion gate until",
        "     one key's metrics are throttled (notice, retry-after, warning flag);",
        "  6. the loss is sampled to 15,000 points with LTTB and drawn to a PNG;",
        "  7. a summary of what this run measured.",
        "",
        "--dir is the tracking server's store (default ./runlog-data); the harness",
        "logs into DIR/harness-store, archives go to DIR/exports, charts to DIR/charts.",
        "Every run uses its own keys (the experiment's, and live/E-alice, ... for the",
        "gate traffic), so a second demo on the same directory reports only itself.",
        "Informal figures from one run; the JMH benchmarks ('runlog bench') are the",
        "reference.",
        ""
    })
public final class DemoCommand extends StoreCommand implements Callable<Integer> {
    static final long MIN_STEPS = 10_000;
    static final long MAX_STEPS = 10_000_000;
    static final String PROJECT = "demo";
    private static final long SEED = 20_240_517L;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000000",
        description = "Training steps the harness plans, 10000 to 10000000; each logs 4 points; it is killed"
            + " after 60%% of them (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--experiment", paramLabel = "E", description = "Experiment key (default: a generated key).")
    String experiment;

    @Override
    public Integer call() {
        if (steps < MIN_STEPS || steps > MAX_STEPS) {
            throw new ParameterException(spec.commandLine(), "--steps must be from " + MIN_STEPS + " to " + MAX_STEPS
                + ", got " + steps);
        }
        final PrintWriter out = out();
        final Path workspace = store.directory().toAbsolutePath().normalize();
        final Path harnessStore = workspace.resolve("harness-store");
        final String key = Names.checkKey("experiment key",
            experiment != null ? experiment : "run-" + Long.toString(System.currentTimeMillis(), 36)); // before any process starts
        refuseTakenKey(harnessStore, key);
        refuseTakenKey(workspace, key);
        final DemoSummary summary = new DemoSummary();
        final long started = System.nanoTime();
        out.printf(Locale.ROOT, "runlog demo: workspace %s, experiment %s/%s%n%n", workspace, PROJECT, key);

        // 1-2: the harness, killed
        out.printf(Locale.ROOT, "1. training harness: a child JVM logs an offline experiment on the hot path%n");
        out.printf(Locale.ROOT, "     4 metrics (loss, lr, accuracy, grad_norm), %,d steps planned, through handles"
            + " resolved once%n", steps);
        out.flush();
        final long killAt = steps * 6 / 10;
        final Progress progress = new Progress(err(), "     logging", steps);
        final HarnessProcess.Killed killed;
        try {
            Files.createDirectories(workspace);
            killed = HarnessProcess.runAndKill(harnessStore, PROJECT, key, steps, killAt,
                workspace.resolve("harness.log"), progress::update);
        } catch (final IOException e) {
            throw new CliException("cannot create " + workspace + ": " + IoErrors.describe(e, workspace));
        } finally {
            progress.done();
        }
        final long acked = killed.lastAckedStep() + 1;
        summary.add("hot path: MetricHandle.log throughput (harness, until killed)", "%.1f M points/s",
            acked * DemoSignals.METRICS.length * 1e3 / killed.logNanos());
        summary.add("hot path: log() latency p50 / p99 / p99.9", "%,d / %,d / %,d ns", killed.p50(), killed.p99(),
            killed.p999());
        out.printf(Locale.ROOT, "     %,d steps acknowledged (%,d points) at %.1f M points/s; log() latency p50 %,d ns,"
                + " p99 %,d ns, p99.9 %,d ns%n", acked, acked * DemoSignals.METRICS.length,
            acked * DemoSignals.METRICS.length * 1e3 / killed.logNanos(), killed.p50(), killed.p99(), killed.p999());
        out.printf(Locale.ROOT, "2. SIGKILL after step %,d was acknowledged: the harness died without closing"
            + " anything (exit status %d)%n", killed.lastAckedStep(), killed.exitCode());
        final long[] recovered = DemoVerification.reopenAndVerify(harnessStore, storeOptions(), PROJECT, key, steps, SEED,
            acked);
        summary.add("kill -9: acknowledged points lost", "0 of %,d", acked * DemoSignals.METRICS.length);
        summary.add("kill -9: points recovered from the ring on reopen", "%,d", recovered[0]);
        out.printf(Locale.ROOT, "     reopened: %,d points recovered from the ring into the journal; every one of the"
            + " %,d acknowledged points is present and bit-exact%n", recovered[0], acked * DemoSignals.METRICS.length);
        if (killed.lastAckedStep() >= steps / 2) {
            out.printf(Locale.ROOT, "     (the NaN loss 0x%016x at step %,d included, payload and all)%n",
                DemoSignals.NAN_LOSS_BITS, steps / 2);
        }
        if (recovered[1] > acked * DemoSignals.METRICS.length) {
            out.printf(Locale.ROOT, "     and %,d points logged after the last acknowledgement survived too%n",
                recovered[1] - acked * DemoSignals.METRICS.length);
        }
        out.flush();

        // 3: export
        final Path archive = workspace.resolve("exports").resolve(key + ".rla");
        final ExportResult exported;
        final long exportNanos;
        try {
            Files.createDirectories(archive.getParent());
        } catch (final IOException e) {
            throw new CliException("cannot create " + archive.getParent() + ": " + IoErrors.describe(e, archive.getParent()));
        }
        try (RunlogStore harness = RunlogStore.open(harnessStore, storeOptions())) {
            final long t = System.nanoTime();
            exported = harness.exportExperiment(PROJECT, key, archive);
            exportNanos = System.nanoTime() - t;
        }
        summary.add("archive: bytes per point", "%.2f", (double) exported.bytes() / exported.points());
        summary.add("archive: export", "%.1f M points/s", exported.points() * 1e3 / exportNanos);
        out.printf(Locale.ROOT, "3. export: %s%n     %,d bytes for %,d points and %,d other entries: %.2f bytes/point"
                + " (the live store's journal: %.2f), in %.0f ms%n", archive, exported.bytes(), exported.points(),
            exported.entries(), (double) exported.bytes() / exported.points(),
            (double) DiskUsage.of(harnessStore).bytes() / exported.points(), exportNanos / 1e6);
        out.flush();

        // 4-6: the tracking server
        try (RunlogStore server = store.openOrCreate(storeOptions())) {
            long t = System.nanoTime();
            final ImportResult first = server.importArchive(archive);
            final long importNanos = System.nanoTime() - t;
            final ImportResult second = server.importArchive(archive);
            summary.add("import: first / second (points added)", "%,d / %,d", first.pointsAdded(), second.pointsAdded());
            summary.add("import: speed", "%.1f M points/s", first.pointsAdded() * 1e3 / importNanos);
            out.printf(Locale.ROOT, "4. import into the tracking server's store %s%n", server.directory());
            out.printf(Locale.ROOT, "     first:  %,d points and %,d other entries added in %.0f ms (%.1f M points/s)%n",
                first.pointsAdded(), first.otherAdded(), importNanos / 1e6, first.pointsAdded() * 1e3 / importNanos);
            out.printf(Locale.ROOT, "     second: %,d added, %,d already there: importing twice changes nothing%n",
                second.added(), second.skipped());
            out.printf(Locale.ROOT, "5. live traffic through the ingestion gate%n");
            out.flush();
            final DemoTraffic.Result traffic = DemoTraffic.run(server, out, key);
            summary.add("gate: submissions / entries stored / throttled", "%,d / %,d / %,d", traffic.submissions(),
                traffic.entriesStored(), traffic.entriesThrottled());
            summary.add("gate: throttle notices (one per episode)", "%d", traffic.notices());
            out.flush();

            try (Experiment imported = server.project(PROJECT).openExperiment(key)) {
                final MetricSeries raw = imported.readMetric("loss");
                t = System.nanoTime();
                final MetricSeries sampled = imported.sampledMetric("loss", SampleQuery.ofMax(15_000));
                final long sampleNanos = System.nanoTime() - t;
                final Path chart = workspace.resolve("charts").resolve(key + "-loss.png");
                try {
                    Files.createDirectories(chart.getParent());
                } catch (final IOException e) {
                    throw new CliException("cannot create " + chart.getParent() + ": " + IoErrors.describe(e, chart.getParent()));
                }
                final double[][] rawXy = PlotCommand.columns(raw, true, Long.MIN_VALUE, Long.MAX_VALUE);
                final double[][] sampledXy = PlotCommand.columns(sampled, true, Long.MIN_VALUE, Long.MAX_VALUE);
                new LineChart(1200, 600)
                    .title(String.format(Locale.ROOT, "%s/%s: loss (%,d points, %,d shown by LTTB)", PROJECT, key,
                        raw.size(), sampled.size()))
                    .axes("step", "loss").legend("raw", "LTTB").raw(rawXy[0], rawXy[1]).sampled(sampledXy[0], sampledXy[1])
                    .writePng(chart);
                summary.add("LTTB: raw points to 15,000, first read", "%,d in %.1f ms", raw.size(), sampleNanos / 1e6);
                out.printf(Locale.ROOT, "6. loss sampled from %,d to %,d points with LTTB in %.1f ms (first, uncached read)%n",
                    raw.size(), sampled.size(), sampleNanos / 1e6);
                out.printf(Locale.ROOT, "     chart: %s%n", chart);
            }
        }
        summary.add("the whole demo", "%.1f s", (System.nanoTime() - started) / 1e9);
        out.printf(Locale.ROOT, "7. summary, all measured in this run%n");
        summary.print(out);
        out.printf(Locale.ROOT, "%nLook around: runlog status --dir %s --project %s --experiment %s%n", workspace, PROJECT, key);
        out.printf(Locale.ROOT, "             runlog plot --dir %s --project %s --experiment %s --metric grad_norm -o grad.png%n",
            workspace, PROJECT, key);
        out.flush();
        return 0;
    }

    /** Fails early, before any process starts, if a store already holds the demo experiment {@code key}. */
    private void refuseTakenKey(final Path storeDir, final String key) {
        if (!Files.isRegularFile(storeDir.resolve(io.runlog.store.StoreLayout.STORE_FILE))) {
            return;
        }
        try (RunlogStore existing = RunlogStore.open(storeDir, storeOptions())) {
            if (existing.projects().stream().anyMatch(p -> p.name().equals(PROJECT))
                && existing.project(PROJECT).experimentKeys().contains(key)) {
                throw new CliException("experiment " + PROJECT + "/" + key + " already exists in " + storeDir
                    + "; choose another --experiment or leave it out");
            }
        }
    }

    /** A progress bar on standard error when it is a terminal; nothing in a plain log. */
    static final class Progress {
        private final PrintWriter err;
        private final String label;
        private final long total;
        private final boolean terminal = System.console() != null;
        private int shown = -1;

        Progress(final PrintWriter err, final String label, final long total) {
            this.err = err;
            this.label = label;
            this.total = total;
        }

        void update(final long step) {
            if (!terminal) {
                return;
            }
            final int percent = (int) Math.min(100, (step + 1) * 100 / total);
            if (percent != shown) {
                shown = percent;
                final int bars = percent / 4;
                err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% step %,d", label, "#".repeat(bars), ".".repeat(25 - bars),
                    percent, step + 1);
                err.flush();
            }
        }

        void done() {
            if (terminal && shown >= 0) {
                err.print("\r" + " ".repeat(label.length() + 60) + "\r");
                err.flush();
            }
        }
    }
}
