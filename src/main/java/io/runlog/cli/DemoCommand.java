package io.runlog.cli;

import io.runlog.ExportResult;
import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.SampleQuery;
import io.runlog.chart.LineChart;
import io.runlog.internal.IoErrors;
import io.runlog.internal.Names;
import io.runlog.server.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code runlog demo}: the whole story in one run, on the default directory (docs/demo.md).
 * {@code runlog serve} runs in a child JVM; a training harness in another logs an offline
 * experiment on the hot path and syncs it live; the server is killed with SIGKILL and restarted
 * mid-run; the harness is killed with SIGKILL and reopens with nothing acknowledged lost; a sync
 * from the reopened store ships the rest and the server's copy is checked against the harness's
 * store bit for bit (exactly once); the archive is uploaded twice (the second adds nothing); a
 * throttled API key meets real {@code 429}s and retries at their {@code Retry-After}; the loss
 * is sampled with LTTB and drawn to a PNG; a table sums up what this run measured.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Runs the whole story of Runlog in under a minute, measured.",
        "",
        "  0. runlog serve starts in a child JVM on a free loopback port, with API keys",
        "     made for this run (deleted at the end);",
        "  1. a training harness (a child JVM) logs an offline experiment on the hot",
        "     path (loss with one NaN, lr, accuracy, grad_norm) and syncs it live; the",
        "     server is killed with SIGKILL and restarted, the sync resumes on its own;",
        "  2. the harness is killed with SIGKILL; the experiment reopens with every",
        "     acknowledged point present, bit for bit;",
        "  3. a sync from the reopened store ships the rest from the server's mark; the",
        "     server's copy equals the harness's store bit for bit: exactly once;",
        "  4. the experiment is exported (bytes per point) and uploaded twice: the",
        "     second upload adds nothing;",
        "  5. a throttled API key: a real HTTP client meets 429s and waits for their",
        "     Retry-After (rate-limit clocks run 60x so minutes pass in seconds);",
        "  6. the server's loss is sampled to 15,000 points with LTTB and drawn to a PNG;",
        "  7. a summary of what this run measured.",
        "",
        "--dir is the server's store (default ./runlog-data); the harness logs into",
        "DIR/harness-store, the throttled client into DIR/live-client, archives go to",
        "DIR/exports, charts to DIR/charts, the children's output to DIR/serve.log and",
        "DIR/harness.log. Every run uses its own keys, so a second demo on the same",
        "directory reports only itself. Informal figures from one run; the JMH",
        "benchmarks ('runlog bench') are the reference.",
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
        Path secrets = null;
        DemoServer server = null;
        try {
            // 0: the server
            try {
                Files.createDirectories(workspace);
                secrets = Files.createTempDirectory(workspace, ".demo-keys-");
            } catch (final IOException e) {
                throw new CliException("cannot create " + workspace + ": " + IoErrors.describe(e, workspace));
            }
            final Path keys = secrets.resolve("server-keys");
            final String demoKey = ApiKeys.add(keys, PROJECT);
            final String liveKey = ApiKeys.add(keys, DemoThrottle.PROJECT);
            final Path demoKeyFile = secrets.resolve(PROJECT + ".key");
            writeSecret(demoKeyFile, demoKey);
            final List<String> serveArgs = new ArrayList<>(List.of("--dir", workspace.toString(), "--keys", keys.toString(),
                "--rate-limit", "METRICS=" + DemoThrottle.METRICS_PER_MINUTE, "--rate-clock-speed",
                Integer.toString(DemoThrottle.SPEED), "--max-body", "1G"));
            if (store.diskReserve != null) {
                serveArgs.addAll(List.of("--disk-reserve", Long.toString(store.diskReserve)));
            }
            long t = System.nanoTime();
            server = DemoServer.start(serveArgs, workspace.resolve("serve.log"));
            final long serverStartMillis = (System.nanoTime() - t) / 1_000_000;
            out.printf(Locale.ROOT, "0. runlog serve: a child JVM (pid %d) serving %s on %s%n", server.pid(), workspace,
                server.url());
            out.printf(Locale.ROOT, "     API keys for projects %s and %s made for this run only, in %s (deleted at the"
                + " end); metrics limited to %,d points a minute per key%n", PROJECT, DemoThrottle.PROJECT, secrets,
                DemoThrottle.METRICS_PER_MINUTE);
            out.flush();

            // 1-3: the harness, syncing live; the server killed and restarted; the harness killed
            out.printf(Locale.ROOT, "1. training harness: a child JVM logs an offline experiment on the hot path and syncs"
                + " it live to the server%n");
            out.printf(Locale.ROOT, "     4 metrics (loss, lr, accuracy, grad_norm), %,d steps planned, through handles"
                + " resolved once%n", steps);
            out.flush();
            final long killAt = steps * 6 / 10;
            final Progress progress = new Progress(err(), "     logging", steps, parent.terminal());
            final DemoLiveSync.Result live;
            try {
                live = DemoLiveSync.run(server, harnessStore, PROJECT, key, steps, killAt, workspace.resolve("harness.log"),
                    demoKeyFile, progress, out);
            } finally {
                progress.done();
            }
            final HarnessProcess.Killed killed = live.killed();
            summary.add("server: child JVM listening after start / after SIGKILL and restart", "%,d / %,d ms",
                serverStartMillis, live.restartMillis());
            summary.add("server: outage seen by the harness's sync (kill to next acknowledgement)", "%,d ms",
                live.outageMillis());
            out.printf(Locale.ROOT, "     the harness's sync was acknowledged by the restarted server %,d ms after the kill;"
                + " the harness went on%n", live.outageMillis());
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
            final long[] recovered = DemoVerification.reopenAndVerify(harnessStore, storeOptions(), PROJECT, key, steps,
                SEED, acked);
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
            final DemoResync.Result resync = DemoResync.run(harnessStore, storeOptions(), server.url(), demoKey, PROJECT,
                key);
            out.printf(Locale.ROOT, "3. sync again from the reopened store (as a restarted harness would): the server held"
                + " %,d points of it; the sync asked for that mark and shipped the other %,d in %,d segments%n",
                resync.heldBefore(), resync.shipped(), resync.segments());
            final DemoCopyCheck.Result same = DemoCopyCheck.compare(harnessStore, workspace, storeOptions(), PROJECT, key);
            out.printf(Locale.ROOT, "     exactly once: the server's copy of %s/%s is the harness's store, bit for bit:"
                + " %d metrics, %,d points (steps, timestamps, value bits) and %,d other entries, each once%n",
                PROJECT, key, same.metrics(), same.points(), same.otherEntries());
            summary.add("sync: points held by the server at the harness's kill / shipped after", "%,d / %,d",
                resync.heldBefore(), resync.shipped());
            summary.add("sync: server's copy against the harness's store", "identical, %,d points", same.points());
            out.flush();

            // 4: export, uploaded twice
            final Path archive = workspace.resolve("exports").resolve(key + ".rla");
            final ExportResult exported;
            final long exportNanos;
            try {
                Files.createDirectories(archive.getParent());
            } catch (final IOException e) {
                throw new CliException("cannot create " + archive.getParent() + ": "
                    + IoErrors.describe(e, archive.getParent()));
            }
            try (RunlogStore harness = RunlogStore.open(harnessStore, storeOptions())) {
                t = System.nanoTime();
                exported = harness.exportExperiment(PROJECT, key, archive);
                exportNanos = System.nanoTime() - t;
            }
            summary.add("archive: bytes per point", "%.2f", (double) exported.bytes() / exported.points());
            summary.add("archive: export", "%.1f M points/s", exported.points() * 1e3 / exportNanos);
            out.printf(Locale.ROOT, "4. export: %s%n     %,d bytes for %,d points and %,d other entries: %.2f bytes/point"
                    + " (the live store's journal: %.2f), in %.0f ms%n", archive, exported.bytes(), exported.points(),
                exported.entries(), (double) exported.bytes() / exported.points(),
                (double) DiskUsage.of(harnessStore).bytes() / exported.points(), exportNanos / 1e6);
            final DemoUpload.Result[] uploads = DemoUpload.twice(server.url(), demoKey, archive, PROJECT, key + "-archive");
            out.printf(Locale.ROOT, "     uploaded to the server as %s/%s-archive (POST .../segments):%n", PROJECT, key);
            out.printf(Locale.ROOT, "     first:  %,d points and %,d other entries added in %.0f ms (%.1f M points/s)%n",
                uploads[0].points(), uploads[0].entries(), uploads[0].nanos() / 1e6,
                uploads[0].points() * 1e3 / uploads[0].nanos());
            out.printf(Locale.ROOT, "     second: %,d added, the server holds %,d points of it: uploading twice changes"
                + " nothing%n", uploads[1].points() + uploads[1].entries(), uploads[1].held());
            summary.add("upload: first / second (points added)", "%,d / %,d", uploads[0].points(), uploads[1].points());
            summary.add("upload: speed (HTTP, verify, import, fsync)", "%.1f M points/s",
                uploads[0].points() * 1e3 / uploads[0].nanos());
            out.flush();

            // 5: the throttled key
            out.printf(Locale.ROOT, "5. a throttled API key: a real HTTP client meets 429s and retries at Retry-After%n");
            out.flush();
            final DemoThrottle.Result throttled;
            try {
                throttled = DemoThrottle.run(workspace.resolve("live-client"), storeOptions(), server.url(), liveKey, key,
                    out);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            summary.add("throttled key: requests / 429 episodes / points that arrived", "%,d / %d / %,d",
                throttled.requests(), throttled.notices().size(), throttled.points());
            out.flush();

            server.close(); // SIGTERM: the server closes its store; the demo reads it next
            server = null;

            // 6: LTTB on the server's copy
            try (RunlogStore tracking = store.openOrCreate(storeOptions());
                 Experiment imported = tracking.project(PROJECT).openExperiment(key)) {
                final MetricSeries raw = imported.readMetric("loss");
                t = System.nanoTime();
                final MetricSeries sampled = imported.sampledMetric("loss", SampleQuery.ofMax(15_000));
                final long sampleNanos = System.nanoTime() - t;
                final Path chart = workspace.resolve("charts").resolve(key + "-loss.png");
                try {
                    Files.createDirectories(chart.getParent());
                } catch (final IOException e) {
                    throw new CliException("cannot create " + chart.getParent() + ": "
                        + IoErrors.describe(e, chart.getParent()));
                }
                final double[][] rawXy = PlotCommand.columns(raw, true, Long.MIN_VALUE, Long.MAX_VALUE);
                final double[][] sampledXy = PlotCommand.columns(sampled, true, Long.MIN_VALUE, Long.MAX_VALUE);
                new LineChart(1200, 600)
                    .title(String.format(Locale.ROOT, "%s/%s: loss (%,d points, %,d shown by LTTB)", PROJECT, key,
                        raw.size(), sampled.size()))
                    .axes("step", "loss").legend("raw", "LTTB").raw(rawXy[0], rawXy[1]).sampled(sampledXy[0], sampledXy[1])
                    .writePng(chart);
                summary.add("LTTB: raw points to 15,000, first read", "%,d in %.1f ms", raw.size(), sampleNanos / 1e6);
                out.printf(Locale.ROOT, "6. the server's loss sampled from %,d to %,d points with LTTB in %.1f ms (first,"
                    + " uncached read)%n", raw.size(), sampled.size(), sampleNanos / 1e6);
                out.printf(Locale.ROOT, "     chart: %s%n", chart);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            deleteSecrets(secrets);
        }
        summary.add("the whole demo", "%.1f s", (System.nanoTime() - started) / 1e9);
        out.printf(Locale.ROOT, "7. summary, all measured in this run%n");
        summary.print(out);
        out.printf(Locale.ROOT, "%nLook around: ./runlog status --dir %s --project %s --experiment %s%n", workspace, PROJECT, key);
        out.printf(Locale.ROOT, "             ./runlog plot --dir %s --project %s --experiment %s --metric grad_norm -o grad.png%n",
            workspace, PROJECT, key);
        out.printf(Locale.ROOT, "             ./runlog serve --dir %s --port 8080 --keys FILE   (./runlog keys add --keys FILE"
            + " --project %s)%n", workspace, PROJECT);
        out.flush();
        return 0;
    }

    private static void writeSecret(final Path file, final String key) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new CliException("cannot write " + file + ": " + IoErrors.describe(e, file));
        }
    }

    /** Removes the run's key files (the keys die with the run). */
    private static void deleteSecrets(final Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (final Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (final IOException ignored) {
            // best effort: the directory is inside the demo's own workspace
        }
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
        private final boolean terminal;
        private int shown = -1;

        Progress(final PrintWriter err, final String label, final long total, final Terminal term) {
            this.err = err;
            this.label = label;
            this.total = total;
            this.terminal = term.interactive();
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

        /** Clears the bar before another line is printed; the next update draws it again. */
        void pause() {
            if (terminal && shown >= 0) {
                err.print("\r" + " ".repeat(label.length() + 60) + "\r");
                err.flush();
                shown = -1;
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
