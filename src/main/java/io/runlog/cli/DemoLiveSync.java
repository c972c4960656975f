package io.runlog.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Steps 1 to 3 of {@code runlog demo}: the harness child logs and syncs live to the server child;
 * once the harness has acknowledged a fifth of its steps and the server has acknowledged some of
 * them, the server is killed with SIGKILL and restarted on the same port. The harness keeps
 * logging into its store (the spool) and holds at half of its steps until its own sync has been
 * acknowledged again by the restarted server; then it logs at full speed and is killed with
 * SIGKILL after 60% of its steps. (If the harness already waits at its hold with everything shipped
 * when the server dies, it is asked to log one more chunk, so that the sync has something to show
 * the restarted server.)
 *
 * <p>Until the hold, the harness pauses before each chunk of steps (a training step's compute,
 * about 2 s in all), so that the sync runs beside a live harness, not after it; the hot-path
 * figures measure the {@code log()} calls only.
 */
final class DemoLiveSync {
    /** The paced part of the harness's run, in all. */
    private static final long PACED_MILLIS = 2_000;
    /** Longest the demo waits for the harness's sync (to first reach the server, to come back after the restart). */
    private static final long PATIENCE_NANOS = 120_000_000_000L;

    /** What happened. */
    record Result(HarnessProcess.Killed killed, long pointsAckedAtServerKill, long serverPid, long restartMillis,
                  long outageMillis, long pointsAckedAtHarnessKill) {
    }

    private final DemoServer server;
    private final long steps;
    private final DemoCommand.Progress progress;
    private final java.io.PrintWriter out;
    private final long started = System.nanoTime();
    private long lastAck = -1;
    private long lastSynced;
    private long killedAtNanos;
    private long ackedAtKill = -1;
    private long serverPid;
    private long restartMillis;
    private long outageMillis = -1;
    private long holdAt;
    private boolean stepSent;

    private DemoLiveSync(final DemoServer server, final long steps, final DemoCommand.Progress progress,
                         final java.io.PrintWriter out) {
        this.server = server;
        this.steps = steps;
        this.progress = progress;
        this.out = out;
    }

    static Result run(final DemoServer server, final Path harnessStore, final String project, final String key,
                      final long steps, final long killAt, final Path log, final Path apiKeyFile,
                      final DemoCommand.Progress progress, final java.io.PrintWriter out) {
        final long holdAt = steps / 2;
        // at least 4 chunks between the hold and the kill, so that the harness is killed while it logs
        final long chunk = Math.max(256, Math.min(DemoHarnessCommand.CHUNK, steps / 40));
        final long pacedChunks = Math.max(1, (holdAt + chunk - 1) / chunk);
        final long pace = Math.max(1, PACED_MILLIS / pacedChunks);
        final DemoLiveSync d = new DemoLiveSync(server, steps, progress, out);
        d.holdAt = holdAt;
        final HarnessProcess.Killed killed = HarnessProcess.runAndKill(harnessStore, project, key, steps, killAt, log,
            List.of("--server", server.url().toString(), "--api-key-file", apiKeyFile.toString(), "--chunk",
                Long.toString(chunk), "--pace-millis", Long.toString(pace), "--hold-at", Long.toString(holdAt)),
            new HarnessProcess.Driver() {
                @Override
                public void acked(final long step) {
                    d.acked(step);
                }

                @Override
                public void synced(final long points, final Consumer<String> toHarness) {
                    d.synced(points, toHarness);
                }
            });
        if (d.outageMillis < 0) {
            throw new CliException("the harness reached its kill point before the server's outage was over");
        }
        return new Result(killed, d.ackedAtKill, d.serverPid, d.restartMillis, d.outageMillis, d.lastSynced);
    }

    private void acked(final long step) {
        lastAck = step;
        progress.update(step);
        maybeKillServer();
    }

    private void synced(final long points, final Consumer<String> toHarness) {
        lastSynced = points;
        if (ackedAtKill < 0) {
            maybeKillServer();
            if (ackedAtKill < 0 && System.nanoTime() - started > PATIENCE_NANOS) {
                throw new CliException("the harness's sync had nothing acknowledged by the server after 2 minutes");
            }
        } else if (outageMillis < 0) {
            if (points > ackedAtKill) {
                outageMillis = (System.nanoTime() - killedAtNanos) / 1_000_000;
                toHarness.accept("go");
            } else if (!stepSent && lastAck >= holdAt - 1) {
                // the harness waits at its hold with everything shipped: one more chunk gives the sync something new
                stepSent = true;
                toHarness.accept("step");
            } else if (System.nanoTime() - killedAtNanos > PATIENCE_NANOS) {
                throw new CliException("the harness's sync did not reach the restarted server within 2 minutes");
            }
        }
    }

    private void maybeKillServer() {
        if (ackedAtKill >= 0 || lastAck < steps / 5 || lastSynced <= 0) {
            return;
        }
        ackedAtKill = lastSynced;
        serverPid = server.pid();
        killedAtNanos = System.nanoTime();
        server.kill();
        progress.pause();
        out.printf(Locale.ROOT, "     step %,d: the server (pid %d) killed with SIGKILL; its client had %,d points"
            + " acknowledged%n", lastAck, serverPid, ackedAtKill);
        out.flush();
        restartMillis = server.restart();
        out.printf(Locale.ROOT, "     server restarted on the same port (pid %d) in %,d ms; the harness logs on into its"
            + " store meanwhile, its sync retrying with backoff%n", server.pid(), restartMillis);
        out.flush();
    }
}
