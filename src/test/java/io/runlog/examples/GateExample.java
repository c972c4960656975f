package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.HardLimits;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.StoreOptions;
import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.Quota;
import io.runlog.gate.RateLimits;
import io.runlog.gate.Submission;
import io.runlog.gate.SubmissionResult;
import io.runlog.gate.ThrottleListener;
import io.runlog.gate.ThrottleWarning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The ingestion-gate examples of the README and docs/limits.md, compiled and run by {@link ExamplesTest}. */
final class GateExample {
    private GateExample() {
    }

    /** What the examples "send back" to a client, recorded for the test. */
    static final List<Object> responses = new ArrayList<>();

    /** Stands for the server's logger (SLF4J-style), so the example reads as it would there. */
    static final class Log {
        void warn(final String format, final Object argument) {
            responses.add(format.replace("{}", String.valueOf(argument)));
        }
    }

    private static final Log log = new Log();

    /** What the server would put in its HTTP headers (RateLimit), recorded for the test. */
    static final List<String> headers = new ArrayList<>();

    static void respond429(final long retryAfterSeconds, final Submission keep) {
        responses.add("429 Retry-After: " + retryAfterSeconds);
        responses.add(keep);
    }

    static void respond413(final Set<DataType> split, final Submission keep) {
        responses.add("413 split " + split);
        responses.add(keep);
    }

    static void rateLimitHeaders(final Quota q) {
        headers.add("RateLimit-Policy: " + q.limit() + ";w=" + q.windowSeconds());
        headers.add("RateLimit: limit=" + q.limit() + ", remaining=" + q.remaining() + ", reset=" + q.resetSeconds());
    }

    static ThrottleWarning readme(final String apiKey, final Experiment experiment, final long step, final double value,
                                  final String line) {
        // tag::readme-gate[]
        IngestionGate gate = new IngestionGate(new RateLimits(),             // on the system clock
                notice -> log.warn("throttled {}", notice));             // once per episode, experiment and type
        SubmissionResult r = gate.submit(apiKey, experiment, new Submission()
                .metric("loss", step, value).parameter("lr", 3e-4).output(OutputChannel.STDOUT, line));
        if (!r.tooLarge().isEmpty()) {                                    // more than a type's whole limit: no wait helps
            respond413(r.tooLarge(), r.rejectedSubmission());             // the client splits them
        } else if (r.retryAfterMillis() != 0) {                           // throttled; nothing rejected was stored
            respond429(r.retryAfterSeconds(), r.rejectedSubmission());    // Retry-After in whole seconds, rounded up
        }
        rateLimitHeaders(gate.quota(apiKey, DataType.METRICS));           // limit, remaining, reset (seconds), window
        ThrottleWarning flag = experiment.throttleWarning();              // persistent; `runlog status` shows it
        // end::readme-gate[]
        return flag;
    }

    static StoreOptions hardLimits() {
        // tag::hard-limits[]
        StoreOptions options = new StoreOptions()
            .hardLimits(new HardLimits().uniqueMetrics(10_000).items(ItemType.MODEL, 20));
        // end::hard-limits[]
        return options;
    }

    static Admission units(final String apiKey) {
        // tag::units[]
        IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 20_000));
        long retryAt = gate.tryAcquire(apiKey, DataType.METRICS, 500);   // 0: admitted; else epoch ms to retry at (NEVER: split)
        Admission a = gate.submit(apiKey, 500, 3, 0, 0);                  // one submission: 500 metrics, 3 parameters
        if (a.throttled(DataType.METRICS)) { /* keep the metrics, retry in a.retryAfterSeconds() s */ }
        // end::units[]
        responses.add(retryAt);
        return a;
    }

    static SubmissionResult submission(final String apiKey, final Experiment experiment, final Submission submission,
                                       final ThrottleListener listener) {
        // tag::submission[]
        IngestionGate gate = new IngestionGate(new RateLimits(), listener);
        SubmissionResult r = gate.submit(apiKey, experiment, submission);
        // end::submission[]
        return r;
    }
}
