package io.runlog;

import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.gate.Submission;
import io.runlog.gate.SubmissionResult;
import io.runlog.gate.ThrottleNotice;
import io.runlog.gate.ThrottleWarning;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Submissions to experiments through the gate: the throttled answer lists exactly what was not
 * stored, the listener hears once per episode, the warning flag persists, offline experiments
 * skip the rate limits but not the hard limits.
 */
class ThrottlingTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(T0);
    private final List<ThrottleNotice> notices = new CopyOnWriteArrayList<>();

    private StoreOptions options() {
        return new StoreOptions().clock(now::get).diskReserveBytes(0);
    }

    private IngestionGate gate(final RateLimits limits) {
        return new IngestionGate(limits, now::get, notices::add);
    }

    private static Submission metrics(final String name, final int from, final int count) {
        final Submission s = new Submission();
        for (int i = from; i < from + count; i++) {
            s.metric(name, i, i * 0.5);
        }
        return s;
    }

    @Test
    void shouldListExactlyTheThrottledEntriesStoreNoneOfThemAndAcceptTheirRetry() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 10));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            assertTrue(gate.submit("k", e, metrics("loss", 0, 8)).fullyAccepted());

            final Submission mixed = metrics("loss", 8, 5).parameter("lr", 0.1).output(OutputChannel.STDOUT, "hi");
            final SubmissionResult r = gate.submit("k", e, mixed);
            assertFalse(r.fullyAccepted());
            assertEquals(2, r.accepted(), "the parameter and the line are admitted");
            assertEquals(5, r.rejections().size());
            for (int i = 0; i < 5; i++) {
                final SubmissionResult.Rejection x = r.rejections().get(i);
                assertEquals(mixed.entries().get(i), x.entry(), "rejections in submission order, exactly the metrics");
                assertEquals(SubmissionResult.Reason.THROTTLED, x.reason());
                assertEquals(r.retryAt().get(DataType.METRICS), x.retryAtMillis());
            }
            assertTrue(r.throttled(DataType.METRICS));
            assertFalse(r.throttled(DataType.PARAMETERS));
            assertTrue(r.retryAfterMillis() > now.get());
            assertEquals(8, e.readMetric("loss").size(), "nothing throttled is stored");
            assertEquals(1, e.parameters().size());
            assertEquals(1, e.outputLines().size());

            final Submission retry = r.rejectedSubmission();
            assertEquals(5, retry.units(DataType.METRICS));
            now.set(r.retryAfterMillis());
            assertTrue(gate.submit("k", e, retry).fullyAccepted(), "the kept entries succeed at the retry time");
            final MetricSeries loss = e.readMetric("loss");
            assertEquals(13, loss.size());
            for (int i = 0; i < 13; i++) {
                assertEquals(i, loss.step(i));
                assertEquals(i * 0.5, loss.value(i));
            }
        }
    }

    @Test
    void shouldNotifyOncePerEpisodeExperimentAndType() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 2).perMinute(DataType.OUTPUT, 1));
        try (RunlogStore store = RunlogStore.open(dir, options())) {
            final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment a = p.createExperiment("a"); Experiment b = p.createExperiment("b")) {
                gate.submit("k", a, metrics("m", 0, 2));
                for (int i = 0; i < 5; i++) {
                    assertTrue(gate.submit("k", a, metrics("m", 10 + i, 1)).throttled(DataType.METRICS));
                }
                assertEquals(1, notices.size(), "five throttled submissions, one episode, one notice");
                final ThrottleNotice first = notices.get(0);
                assertEquals("k", first.apiKey());
                assertEquals("p", first.project());
                assertEquals("a", first.experiment());
                assertEquals(DataType.METRICS, first.type());
                assertEquals(T0, first.atMillis());
                assertEquals(1, first.units());
                assertTrue(first.retryAtMillis() > T0);

                gate.submit("k", b, metrics("m", 0, 1)); // same key: b's metrics are throttled too
                assertEquals(2, notices.size(), "another experiment, another notice");
                assertEquals("b", notices.get(1).experiment());

                assertTrue(gate.submit("k", a, new Submission().output(OutputChannel.STDOUT, "w")).fullyAccepted());
                gate.submit("k", a, new Submission().output(OutputChannel.STDOUT, "x"));
                assertEquals(3, notices.size(), "another type, another notice");
                assertEquals(DataType.OUTPUT, notices.get(2).type());

                final long r = first.retryAtMillis();
                now.set(r);
                assertTrue(gate.submit("k", a, metrics("m", 20, 1)).fullyAccepted(), "admitted: the episode ends");
                gate.submit("k", a, metrics("m", 21, 2));
                assertEquals(4, notices.size(), "throttled again after an admission: a new episode");

                now.set(r + 30_000);
                gate.submit("k", a, metrics("m", 30, 2));
                assertEquals(4, notices.size(), "still the same episode 30 s later");
                now.set(r + 50_000);
                assertTrue(gate.submit("k", b, metrics("m", 50, 1)).fullyAccepted(), "b's admission keeps the key's window full");
                now.set(r + 91_000);
                gate.submit("k", a, metrics("m", 40, 2));
                assertEquals(5, notices.size(), "a throttle a minute after the last one begins a new episode");

                final ThrottleWarning.Throttled flag = a.throttleWarning().of(DataType.METRICS).orElseThrow();
                assertEquals(3, flag.episodes());
                assertEquals(5 + 2 + 2 + 2, flag.units());
                assertEquals(8, flag.submissions());
            }
        }
    }

    @Test
    void shouldRejectATypeLargerThanItsWholeLimitAsTooLargeWithoutFlagOrNotice() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 3));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final SubmissionResult r = gate.submit("k", e, metrics("m", 0, 4).parameter("lr", 0.1));
            assertEquals(1, r.accepted(), "the parameter is stored");
            assertEquals(4, r.rejections().size());
            for (final SubmissionResult.Rejection x : r.rejections()) {
                assertEquals(SubmissionResult.Reason.TOO_LARGE, x.reason());
                assertEquals(Admission.NEVER, x.retryAtMillis());
            }
            assertTrue(r.tooLarge(DataType.METRICS));
            assertFalse(r.throttled(DataType.METRICS));
            assertEquals(0, r.retryAfterMillis(), "no wait helps: split it");
            assertEquals(0, r.retryAfterSeconds());
            assertTrue(notices.isEmpty(), "no throttling episode");
            assertFalse(e.throttleWarning().raised(), "no flag");
            assertEquals(4, r.rejectedSubmission().entries().size());
            assertTrue(gate.submit("k", e, metrics("m", 0, 3)).fullyAccepted(), "split to the limit, it is admitted");
            assertEquals(3, e.readMetric("m").size());
        }
    }

    @Test
    void shouldKeepTheWarningFlagAcrossReopening() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.PARAMETERS, 2));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            assertEquals(ThrottleWarning.NONE, e.throttleWarning());
            assertFalse(e.throttleWarning().raised());
            gate.submit("k", e, new Submission().parameter("a", 1L).parameter("x", 0L));
            gate.submit("k", e, new Submission().parameter("b", 2L).parameter("c", 3L));
            now.addAndGet(5_000);
            gate.submit("k", e, new Submission().parameter("d", "x").metric("m", 0, 1.0));
        }
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.project("p").openExperiment("e")) {
            final ThrottleWarning w = e.throttleWarning();
            assertTrue(w.raised());
            assertEquals(1, w.types().size(), "metrics were never throttled");
            final ThrottleWarning.Throttled t = w.of(DataType.PARAMETERS).orElseThrow();
            assertEquals(new ThrottleWarning.Throttled(DataType.PARAMETERS, T0, T0 + 5_000, 3, 2, 1), t);
            assertEquals(2, e.parameters().size());
            assertEquals(1, e.readMetric("m").size());
        }
    }

    @Test
    void shouldMergeAnImportedWarningFlagIdempotently() {
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final IngestionGate gate = gate(new RateLimits().perMinute(DataType.OUTPUT, 2));
            gate.submit("k", e, new Submission().output(OutputChannel.STDERR, "z"));
            gate.submit("k", e, new Submission().output(OutputChannel.STDERR, "a").output(OutputChannel.STDERR, "b"));
            final ThrottleWarning imported = new ThrottleWarning(Map.of(
                DataType.OUTPUT, new ThrottleWarning.Throttled(DataType.OUTPUT, T0 - 10, T0 - 5, 1, 1, 1),
                DataType.OTHER, new ThrottleWarning.Throttled(DataType.OTHER, T0 - 100, T0 + 100, 7, 3, 2)));
            mergeTwice(store, imported);
            final ThrottleWarning w = e.throttleWarning();
            assertEquals(new ThrottleWarning.Throttled(DataType.OUTPUT, T0 - 10, T0, 2, 1, 1), w.of(DataType.OUTPUT).get());
            assertEquals(imported.of(DataType.OTHER).get(), w.of(DataType.OTHER).get());
        }
    }

    private static void mergeTwice(final RunlogStore store, final ThrottleWarning imported) {
        final var engine = store.engine().acquire(store.engine().experimentHeader("p", "e"));
        try {
            engine.mergeThrottleWarning(imported);
            final ThrottleWarning once = engine.throttleWarning();
            engine.mergeThrottleWarning(imported);
            assertEquals(once, engine.throttleWarning(), "merging the same flag again changes nothing");
        } finally {
            store.engine().release(engine);
        }
    }

    @Test
    void shouldNotRateLimitOfflineExperimentsButStillApplyHardLimits() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 1).submissionsPerHour(1));
        try (RunlogStore store = RunlogStore.open(dir, options().hardLimits(new HardLimits().uniqueMetrics(2)));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("e")) {
            final Submission s = metrics("a", 0, 100).metric("b", 0, 1.0).metric("c", 0, 1.0).metric("a", 100, 2.0);
            final SubmissionResult r = gate.submit("k", e, s);
            assertEquals(102, r.accepted());
            assertEquals(1, r.rejections().size());
            final SubmissionResult.Rejection x = r.rejections().get(0);
            assertEquals(SubmissionResult.Reason.HARD_LIMIT, x.reason());
            assertEquals(s.entries().get(101), x.entry(), "the metric 'c' beyond uniqueMetrics");
            assertEquals("uniqueMetrics", ((HardLimitException) x.error()).limitName());
            assertTrue(r.retryAt().isEmpty());
            assertEquals(101, e.readMetric("a").size());
            assertEquals(0, gate.trackedKeys(), "no submission was counted for the key");
            assertFalse(e.throttleWarning().raised());
            assertTrue(notices.isEmpty());
        }
    }

    @Test
    void shouldThrottleEveryTypeWhenTheSubmissionsPerHourAreSpent() {
        final IngestionGate gate = gate(new RateLimits().submissionsPerHour(1));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            assertTrue(gate.submit("k", e, new Submission().parameter("a", true)).fullyAccepted());
            final SubmissionResult r = gate.submit("k", e, new Submission().parameter("b", true).metric("m", 0, 0.0));
            assertEquals(0, r.accepted());
            assertEquals(2, r.rejections().size());
            assertEquals(r.retryAt().get(DataType.METRICS), r.retryAt().get(DataType.PARAMETERS));
            assertEquals(2, notices.size());
        }
    }

    @Test
    void shouldRejectBadSubmissionsWithTypedErrorsBeforeCountingAnything() {
        final IngestionGate gate = gate(new RateLimits().submissionsPerHour(1));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final Submission prompt = new Submission().metric("m", 0, 1.0).prompt("q", "a", Map.of());
            assertThrows(InvalidValueException.class, () -> gate.submit("k", e, prompt), "prompts need an LLM project");
            assertThrows(InvalidValueException.class, () -> gate.submit("k", null, new Submission()));
            assertThrows(InvalidValueException.class, () -> gate.submit("k", e, null));
            assertThrows(InvalidNameException.class, () -> gate.submit(null, e, new Submission()));
            assertThrows(InvalidNameException.class, () -> gate.submit("", e, new Submission()));
            assertThrows(InvalidNameException.class, () -> new Submission().metric("", 0, 1.0));
            assertThrows(InvalidNameException.class, () -> new Submission().parameter("bad\nname", 1L));
            assertThrows(InvalidValueException.class, () -> new Submission().add(new Submission.ParameterValue("x", List.of())));
            assertThrows(InvalidValueException.class, () -> new Submission().output(null, "x"));
            assertThrows(InvalidValueException.class, () -> new Submission().item(ItemType.IMAGE, "i", Map.of(), null));
            assertThrows(InvalidValueException.class, () -> new Submission().add(null));
            assertTrue(gate.submit("k", e, new Submission()).fullyAccepted(), "an empty submission asks nothing");
            assertTrue(gate.submit("k", e, new Submission().metric("m", 0, 1.0)).fullyAccepted(),
                "none of the refused submissions was counted");
            assertEquals(1, e.readMetric("m").size());
            e.close();
            assertThrows(ClosedException.class, () -> gate.submit("k", e, new Submission().metric("m", 1, 1.0)));
        }
    }

    @Test
    void shouldAnswerEvenWhenTheListenerThrows() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 2), now::get, n -> {
            throw new IllegalStateException("listener bug");
        });
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            assertTrue(gate.submit("k", e, metrics("m", 0, 1)).fullyAccepted());
            final SubmissionResult r = gate.submit("k", e, metrics("m", 1, 2));
            assertEquals(2, r.rejections().size());
            assertEquals(1, gate.listenerFailures());
            assertTrue(e.throttleWarning().raised());
        }
    }

    @Test
    void shouldStoreItemsAndPromptsOfAnAdmittedSubmission() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.OTHER, 2));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("llm", ProjectKind.LLM).createExperiment("e")) {
            final SubmissionResult ok = gate.submit("k", e, new Submission()
                .item(ItemType.IMAGE, "img", Map.of("step", "1"), new byte[]{1, 2, 3})
                .prompt("2+2?", "4", Map.of()));
            assertTrue(ok.fullyAccepted());
            assertEquals(1, e.items().size());
            assertArrayEquals(new byte[]{1, 2, 3}, e.readPayload(e.items().get(0)));
            assertEquals(1, e.prompts().size());
            final SubmissionResult throttled = gate.submit("k", e, new Submission().prompt("again", "", Map.of()));
            assertEquals(SubmissionResult.Reason.THROTTLED, throttled.rejections().get(0).reason());
            assertEquals(1, e.prompts().size());
            assertEquals(1, e.throttleWarning().of(DataType.OTHER).orElseThrow().units());
        }
    }

    @Test
    void shouldStoreExactlyTheAdmittedUnitsAndNotifyOnceWhenManyThreadsSubmitAtOnce() throws Exception {
        final int threads = 4;
        final int submissionsPerThread = 200;
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 1_000));
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final AtomicInteger accepted = new AtomicInteger();
            final AtomicInteger rejected = new AtomicInteger();
            Concurrently.run(threads, id -> {
                for (int i = 0; i < submissionsPerThread; i++) {
                    final SubmissionResult r = gate.submit("k", e, metrics("m" + id, i * 3, 3));
                    accepted.addAndGet(r.accepted());
                    rejected.addAndGet(r.rejections().size());
                }
            });
            assertEquals(999, accepted.get(), "333 submissions of 3 fit in 1,000 per minute");
            assertEquals(threads * submissionsPerThread * 3, accepted.get() + rejected.get(), "every entry answered");
            assertEquals(999, e.pointCount(), "exactly the admitted points are stored");
            assertEquals(1, notices.size(), "one episode, however many threads were throttled");
            final ThrottleWarning.Throttled flag = e.throttleWarning().of(DataType.METRICS).orElseThrow();
            assertEquals(rejected.get(), flag.units(), "the flag counts every throttled unit");
            assertEquals(1, flag.episodes());
        }
    }
}
