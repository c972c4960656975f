package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.Project;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.gate.Submission;
import io.runlog.gate.SubmissionResult;
import io.runlog.gate.ThrottleNotice;
import io.runlog.gate.ThrottleWarning;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Step 5 of {@code runlog demo}: live traffic from several API keys through the ingestion gate
 * with the default limits, on a simulated clock (90 s of traffic in a few milliseconds). One key
 * logs metrics too fast and is throttled; its parameters and the other keys go through.
 */
final class DemoTraffic {
    /** What the step measured. */
    record Result(long submissions, long entriesSubmitted, long entriesStored, long entriesThrottled, int notices,
                  ThrottleWarning flag) {
    }

    private static final String[] KEYS = {"key-alice", "key-bob", "key-carol"};
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private DemoTraffic() {
    }

    /** @param runKey the demo run's experiment key: the live experiments are {@code runKey-alice}, ... of this run only */
    static Result run(final RunlogStore server, final PrintWriter out, final String runKey) {
        final long[] now = {T0};
        final List<ThrottleNotice> notices = new ArrayList<>();
        final IngestionGate gate = new IngestionGate(new RateLimits(), () -> now[0], notice -> {
            notices.add(notice);
            out.printf(Locale.ROOT, "     notice: %s of %s/%s throttled at +%s; retry at +%s (Retry-After %.1f s)%n",
                notice.type(), notice.project(), notice.experiment(), clock(notice.atMillis()),
                clock(notice.retryAtMillis()), (notice.retryAtMillis() - notice.atMillis()) / 1000.0);
        });
        final Project project = server.projectOrCreate("live", io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT);
        final Experiment[] experiments = new Experiment[KEYS.length];
        long submissions = 0;
        final long[] submitted = new long[KEYS.length];
        final long[] stored = new long[KEYS.length];
        final long[] throttled = new long[KEYS.length];
        long aliceParameters = 0;
        long aliceParametersStored = 0;
        try {
            for (int k = 0; k < KEYS.length; k++) {
                experiments[k] = project.createExperiment(runKey + "-" + KEYS[k].substring(4));
            }
            out.printf(Locale.ROOT, "     %d API keys, default limits (metrics: 12,000 values a minute per key), 90 s"
                + " of traffic on a simulated clock%n", KEYS.length);
            for (int tick = 0; tick < 900; tick++) { // one request every 100 ms per key
                now[0] = T0 + tick * 100L;
                for (int k = 0; k < KEYS.length; k++) {
                    // alice: 500 values a request (300,000 a minute, far over the limit); bob, carol: 10 (6,000)
                    final int values = k == 0 ? 500 : 10;
                    final Submission s = new Submission();
                    for (int i = 0; i < values; i++) {
                        final long step = (long) tick * values + i;
                        s.metric("loss", step, now[0], 0.3 + 2.2 * Math.exp(-step / 150_000.0));
                    }
                    if (tick % 50 == 0) {
                        s.parameter("lr", 3e-4 / (1 + tick / 300));
                    }
                    final SubmissionResult r = gate.submit(KEYS[k], experiments[k], s);
                    submissions++;
                    submitted[k] += s.size();
                    stored[k] += r.accepted();
                    throttled[k] += r.rejections().size();
                    if (k == 0) {
                        aliceParameters += s.units(DataType.PARAMETERS);
                        if (!r.throttled(DataType.PARAMETERS)) {
                            aliceParametersStored += s.units(DataType.PARAMETERS);
                        }
                    }
                }
            }
            final ThrottleWarning flag = experiments[0].throttleWarning();
            out.printf(Locale.ROOT, "     %s: %,d of %,d entries stored, %,d throttled (kept by the client to retry);"
                + " %d of %d parameter values stored while its metrics were throttled%n", KEYS[0], stored[0],
                submitted[0], throttled[0], aliceParametersStored, aliceParameters);
            for (int k = 1; k < KEYS.length; k++) {
                out.printf(Locale.ROOT, "     %s: %,d of %,d entries stored, %,d throttled%n", KEYS[k], stored[k],
                    submitted[k], throttled[k]);
            }
            for (final ThrottleWarning.Throttled t : flag.types().values()) {
                out.printf(Locale.ROOT, "     warning flag of live/%s: %s%n", experiments[0].key(), StatusCommand.describe(t));
            }
            long allSubmitted = 0;
            long allStored = 0;
            long allThrottled = 0;
            for (int k = 0; k < KEYS.length; k++) {
                allSubmitted += submitted[k];
                allStored += stored[k];
                allThrottled += throttled[k];
            }
            return new Result(submissions, allSubmitted, allStored, allThrottled, notices.size(), flag);
        } finally {
            for (final Experiment e : experiments) {
                if (e != null) {
                    e.close();
                }
            }
        }
    }

    private static String clock(final long millis) {
        final long ms = millis - T0;
        return String.format(Locale.ROOT, "%02d:%04.1f", ms / 60_000, (ms % 60_000) / 1000.0);
    }
}
