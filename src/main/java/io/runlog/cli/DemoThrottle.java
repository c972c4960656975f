package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.Sync;
import io.runlog.SyncClock;
import io.runlog.SyncOptions;
import io.runlog.SyncSleeper;
import io.runlog.SyncStatus;
import io.runlog.gate.ThrottleNotice;
import io.runlog.sync.HttpTransport;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Step 5 of {@code runlog demo}: a throttled API key. A second client store holds two online
 * experiments of project {@code live}, {@code <run>-alice} and {@code <run>-bob}, each
 * {@link #POINTS} points; one real {@link Sync} ships both over HTTP with the key of {@code live}
 * to the demo's server, whose metrics limit is {@link #METRICS_PER_MINUTE} a minute per key. The
 * two experiments share the key's quota, so one's view of what is left goes stale while the other
 * ships: that experiment's next segment is refused with {@code 429} and the client waits for its
 * {@code Retry-After} before sending metrics of it again. The server's rate-limit clock and this
 * client's clock both run {@link #SPEED} times faster than real time, so the minutes of windows
 * pass in about a second; every wait is still the server's own {@code Retry-After}.
 */
final class DemoThrottle {
    static final int SPEED = 60;
    static final long METRICS_PER_MINUTE = 2_000;
    static final int POINTS = 3_000;
    static final String PROJECT = "live";
    private static final String[] WHO = {"alice", "bob"};

    /** What the step saw. */
    record Result(long points, long requests, long segments, List<ThrottleNotice> notices, SyncStatus status) {
    }

    private DemoThrottle() {
    }

    static Result run(final Path clientDir, final StoreOptions options, final URI server, final String apiKey,
                      final String runKey, final PrintWriter out) throws InterruptedException {
        final List<ThrottleNotice> notices = new ArrayList<>();
        final Accelerated clock = new Accelerated(SPEED);
        try (RunlogStore client = RunlogStore.open(clientDir, options)) {
            final Project live = client.projectOrCreate(PROJECT, ProjectKind.EXPERIMENT_MANAGEMENT);
            for (final String who : WHO) {
                try (Experiment e = live.createExperiment(runKey + "-" + who)) {
                    e.logParameter("lr", 3e-4);
                    final MetricHandle loss = e.metric("loss");
                    for (int step = 0; step < POINTS; step++) {
                        loss.log(step, 1_767_225_600_000L + step * 100L, 0.3 + 2.2 * Math.exp(-step / 1_000.0));
                    }
                }
            }
            out.printf(Locale.ROOT, "     two online experiments, live/%s-alice and live/%s-bob, %,d points each, one"
                + " client, one API key; the server admits %,d metric points a minute per key%n", runKey, runKey,
                POINTS, METRICS_PER_MINUTE);
            out.printf(Locale.ROOT, "     (the server's rate-limit clock and the client's run %dx: a minute passes in"
                + " %.1f s)%n", SPEED, 60.0 / SPEED);
            out.flush();
            final SyncOptions syncOptions = new SyncOptions(server, apiKey).project(PROJECT).follow(false)
                .clock(clock).sleeper(clock).throttleListener(n -> {
                    synchronized (notices) {
                        notices.add(n);
                    }
                    out.printf(Locale.ROOT, "     429 for %s of %s/%s at +%s: Retry-After %.0f s, its metrics wait"
                            + " until +%s (%,d points kept in the store to retry)%n", n.type(), n.project(),
                        n.experiment(), clock.since(n.atMillis()), (n.retryAtMillis() - n.atMillis()) / 1000.0,
                        clock.since(n.retryAtMillis()), n.units());
                    out.flush();
                });
            final SyncStatus st;
            try (Sync sync = Sync.start(client, syncOptions)) {
                if (!sync.join(Duration.ofSeconds(120))) {
                    throw new CliException("the throttled client did not finish within 2 minutes: " + sync.status());
                }
                st = sync.status();
            }
            if (st.failure() != null) {
                throw st.failure();
            }
            if (!st.synced()) {
                throw new CliException("the throttled client stopped before the server held everything: "
                    + st.lastError());
            }
            out.printf(Locale.ROOT, "     all %,d points arrived after +%s: %,d requests, %,d segments acknowledged, %d"
                    + " throttle episode(s); a refused type sends again only after its Retry-After (SyncThrottleTest checks"
                    + " it request by request)%n", st.acknowledgedPoints(),
                clock.since(clock.epochMillis()), st.attempts(), st.segmentsAcknowledged(), notices.size());
            final HttpTransport http = new HttpTransport(server, apiKey, Duration.ofSeconds(10), Duration.ofSeconds(30));
            for (final String who : WHO) {
                final String path = "/v1/projects/" + PROJECT + "/experiments/" + runKey + "-" + who + "/status";
                try {
                    final HttpTransport.Reply r = http.get(path);
                    out.printf(Locale.ROOT, "     GET %s: %s%n", path, r.bodyText().strip());
                } catch (final IOException e) {
                    throw new CliException("cannot read " + path + " from the server: " + e.getMessage());
                }
            }
            out.flush();
            synchronized (notices) {
                return new Result(st.acknowledgedPoints(), st.attempts(), st.segmentsAcknowledged(), List.copyOf(notices), st);
            }
        }
    }

    /** A clock running {@code speed} times faster than the machine's, and a sleeper that sleeps accordingly less. */
    static final class Accelerated implements SyncClock, SyncSleeper {
        private final long speed;
        private final long originNanos = System.nanoTime();
        private final long originMillis = System.currentTimeMillis();

        Accelerated(final long speed) {
            this.speed = speed;
        }

        @Override
        public long nanoTime() {
            return originNanos + (System.nanoTime() - originNanos) * speed;
        }

        @Override
        public long epochMillis() {
            return originMillis + (System.nanoTime() - originNanos) * speed / 1_000_000;
        }

        @Override
        public void sleepNanos(final long nanos) throws InterruptedException {
            LockSupport.parkNanos(Math.max(1, nanos / speed));
            if (Thread.interrupted()) {
                throw new InterruptedException("sync sleep interrupted");
            }
        }

        /** {@code mm:ss} of accelerated time since this clock started. */
        String since(final long epochMillis) {
            final long s = Math.max(0, epochMillis - originMillis) / 1000;
            return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
        }
    }
}
