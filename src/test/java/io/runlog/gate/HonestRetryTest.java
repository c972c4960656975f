package io.runlog.gate;

import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gate's answers are honest: a retry time is the earliest at which the same request, with
 * no other traffic, is admitted (whatever the mix of the hourly submissions limit and the
 * per-type minute windows), a refused attempt counts nothing, and a request larger than a whole
 * limit is told "never" (too large) rather than a time.
 */
class HonestRetryTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final DataType[] TYPES = DataType.values();

    private final long[] now = {T0};

    private IngestionGate gate(final RateLimits limits) {
        return new IngestionGate(limits, () -> now[0]);
    }

    @Test
    void theIssueExampleIsToldTheTrueEarliestTimeAndARetryThenIsAdmitted() {
        final IngestionGate gate = gate(new RateLimits());
        for (int i = 0; i < 14_998; i++) { // one-line submissions over the first 10 minutes
            now[0] = T0 + i * 40L;
            assertTrue(gate.submit("k", 0, 0, 1, 0).fullyAdmitted());
        }
        now[0] = T0 + 1_200_000;
        assertTrue(gate.submit("k", 12_000, 0, 0, 0).fullyAdmitted(), "the 14,999th submission");
        now[0] = T0 + 1_201_000;
        final Admission refused = gate.submit("k", 100, 0, 0, 0);
        assertFalse(refused.counted(), "every type refused: the attempt takes no hourly slot");
        final long retryAt = refused.retryAt().get(DataType.METRICS);
        // 12,000 metrics in sub-window 800 (1.5 s each) count through sub-window 840
        assertEquals(T0 + 1_261_500, retryAt, "the metrics window frees then; the hourly slot is still there");
        assertEquals(retryAt, refused.retryAfterMillis());
        assertEquals(61, refused.retryAfterSeconds(), "60.5 s, rounded up");
        now[0] = retryAt - 1;
        assertFalse(gate.submit("k", 100, 0, 0, 0).admitted(DataType.METRICS), "not a millisecond earlier");
        now[0] = retryAt;
        assertTrue(gate.submit("k", 100, 0, 0, 0).fullyAdmitted(), "a retry at the advertised time is admitted");
        assertNotEquals(0, gate.submit("k", 0, 1, 0, 0).submissionRetryAt(), "and that was the hour's last slot");
    }

    @Test
    void aTypeOverItsWholeLimitIsNeverAdmittedEvenWhileSubmissionsAreExhausted() {
        final IngestionGate gate = gate(new RateLimits().submissionsPerHour(1));
        assertTrue(gate.submit("k", 1, 0, 0, 0).fullyAdmitted());
        final Admission a = gate.submit("k", 12_001, 5, 0, 0);
        assertNotEquals(0, a.submissionRetryAt(), "the hour's submissions are used up");
        assertEquals(Admission.NEVER, a.retryAt().get(DataType.METRICS), "too large: never, not the hourly time");
        assertTrue(a.tooLarge(DataType.METRICS));
        assertFalse(a.throttled(DataType.METRICS));
        assertEquals(java.util.Set.of(DataType.METRICS), a.tooLarge());
        assertEquals(a.submissionRetryAt(), a.retryAt().get(DataType.PARAMETERS), "parameters wait for the hour");
        assertTrue(a.throttled(DataType.PARAMETERS));
        assertEquals(a.submissionRetryAt(), a.retryAfterMillis(), "the too-large type does not make the retry 'never'");
        assertEquals(Admission.NEVER, gate.tryAcquire("k", DataType.METRICS, 12_001));
        now[0] += 10 * 3_600_000L;
        assertEquals(Admission.NEVER, gate.submit("k", 12_001, 0, 0, 0).retryAt().get(DataType.METRICS), "ever");
    }

    @Test
    void aRefusedAttemptCountsNeitherASubmissionNorUnits() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 10).submissionsPerHour(2));
        assertTrue(gate.submit("k", 10, 0, 0, 0).fullyAdmitted());
        for (int i = 0; i < 100; i++) {
            final Admission a = gate.submit("k", 1, 0, 0, 0);
            assertFalse(a.admitted(DataType.METRICS));
            assertFalse(a.counted());
            now[0] += 100;
        }
        assertTrue(gate.submit("k", 0, 3, 0, 0).fullyAdmitted(), "the hour's second slot was not spent by refusals");
        final Admission third = gate.submit("k", 0, 1, 0, 0);
        assertNotEquals(0, third.submissionRetryAt());
        assertFalse(third.counted());
        assertEquals(0, gate.submit("k", 0, 0, 0, 0).submissionRetryAt(), "asking nothing is admitted");
        assertFalse(gate.submit("k", 0, 0, 0, 0).counted(), "and not counted");
    }

    @Test
    void aMixedSubmissionCountsOnceAndItsThrottledTypeWaitsForTheNextSlotToo() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 10).submissionsPerHour(2));
        assertTrue(gate.submit("k", 10, 0, 0, 0).fullyAdmitted());
        final Admission a = gate.submit("k", 5, 1, 0, 0); // parameters admitted: counted, the hour is now full
        assertTrue(a.counted());
        assertTrue(a.admitted(DataType.PARAMETERS));
        final long metricsRetry = a.retryAt().get(DataType.METRICS);
        assertEquals(T0 + 3_690_000, metricsRetry, "a retry is a submission: it waits for the hour's first slot (90 s sub-windows)");
        now[0] = metricsRetry - 1;
        assertFalse(gate.submit("k", 5, 0, 0, 0).fullyAdmitted());
        now[0] = metricsRetry;
        assertTrue(gate.submit("k", 5, 0, 0, 0).fullyAdmitted());
    }

    @Test
    void aClientRetryingAtTheAdvertisedTimeIsAdmittedEveryTimeAndDoesNotStarve() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 10).submissionsPerHour(20));
        int admitted = 0;
        int refusedRetries = 0;
        boolean retrying = false;
        final long end = T0 + 3 * 3_600_000L;
        while (now[0] < end) {
            final Admission a = gate.submit("k", 10, 0, 0, 0);
            if (a.fullyAdmitted()) {
                admitted++;
                retrying = false;
                now[0] += 1_000;
            } else {
                refusedRetries += retrying ? 1 : 0;
                retrying = true;
                now[0] = a.retryAfterMillis();
            }
        }
        assertEquals(0, refusedRetries, "every retry at Retry-After was admitted");
        assertTrue(admitted >= 58, "about 20 an hour (40/41 of it at worst): " + admitted);
    }

    @Test
    void zeroUnitsAskForNothingAndAreAdmittedWithoutState() {
        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 1));
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 0));
        assertEquals(0, gate.trackedKeys(), "nothing counted, no state made");
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 1));
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 0), "even with the window full");
        assertNotEquals(0, gate.tryAcquire("k", DataType.METRICS, 1));
        assertEquals(0, gate.handle("k", DataType.METRICS).tryAcquire(0));
        final InvalidValueException negative = assertThrows(InvalidValueException.class,
            () -> gate.tryAcquire("k", DataType.METRICS, -1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(InvalidValueException.class, () -> gate.handle("k", DataType.METRICS).tryAcquire(-3));
        assertThrows(InvalidNameException.class, () -> gate.tryAcquire("", DataType.METRICS, 0));
        assertThrows(InvalidValueException.class, () -> gate.tryAcquire("k", null, 0));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertEquals(0, RetryAfter.seconds(0, T0), "admitted: no header");
        assertEquals(1, RetryAfter.seconds(T0 + 1, T0));
        assertEquals(1, RetryAfter.seconds(T0 + 1_000, T0));
        assertEquals(2, RetryAfter.seconds(T0 + 1_001, T0));
        assertEquals(1, RetryAfter.seconds(T0 - 5, T0), "already due: still 1");
        assertEquals(3_600, RetryAfter.seconds(T0 + 3_600_000, T0));
        assertThrows(InvalidValueException.class, () -> RetryAfter.seconds(Admission.NEVER, T0));
        assertThrows(InvalidValueException.class, () -> RetryAfter.seconds(-1, T0));

        final IngestionGate gate = gate(new RateLimits().perMinute(DataType.METRICS, 10));
        assertEquals(0, gate.submit("k", 10, 0, 0, 0).retryAfterSeconds());
        now[0] += 700;
        final Admission a = gate.submit("k", 1, 0, 0, 0);
        assertEquals(T0 + 61_500, a.retryAfterMillis());
        assertEquals(61, a.retryAfterSeconds(), "60.8 s from the decision, rounded up");
        assertEquals(a.retryAfterSeconds(), a.retryAfterSeconds(gate.nowMillis()));
        assertEquals(1, a.retryAfterSeconds(T0 + 61_499));
        assertEquals(T0 + 700, a.decidedAtMillis());
    }

    /** One random request: per-type units and the time step before it. */
    private record Request(long stepMillis, int[] units) {
    }

    private static long randomStep(final SplittableRandom r) {
        final int kind = r.nextInt(10);
        return kind < 5 ? r.nextLong(2_000) : kind < 8 ? r.nextLong(60_000) : r.nextLong(1_200_000);
    }

    private static int[] randomUnits(final SplittableRandom r, final long[] limits) {
        final int[] u = new int[TYPES.length];
        final int types = 1 + r.nextInt(TYPES.length);
        for (int i = 0; i < types; i++) {
            final int t = r.nextInt(TYPES.length);
            final long limit = limits[t] == RateLimits.UNLIMITED ? 50 : limits[t];
            u[t] = 1 + r.nextInt((int) Math.min(limit + 2, Integer.MAX_VALUE)); // now and then more than the limit
        }
        return u;
    }

    /** A fresh gate that has seen {@code history}, its clock at the last request. */
    private IngestionGate replay(final RateLimits limits, final List<Request> history) {
        now[0] = T0;
        final IngestionGate gate = gate(limits);
        for (final Request q : history) {
            now[0] += q.stepMillis;
            gate.submit("k", q.units);
        }
        return gate;
    }

    @Test
    void aRetryAtTheReturnedTimeIsAlwaysAdmittedAndOneMillisecondEarlierIsNot() {
        final long seed = TestSeed.of("HonestRetryTest.randomTrials");
        final SplittableRandom r = new SplittableRandom(seed);
        final int trials = 40_000;
        int throttledTrials = 0;
        int hourlyInvolved = 0;
        for (int trial = 0; trial < trials; trial++) {
            final long[] limits = new long[TYPES.length];
            final RateLimits rl = new RateLimits();
            for (final DataType t : TYPES) {
                limits[t.ordinal()] = r.nextInt(8) == 0 ? RateLimits.UNLIMITED : 1 + r.nextInt(30);
                rl.perMinute(t, limits[t.ordinal()]);
            }
            final long perHour = r.nextInt(6) == 0 ? RateLimits.UNLIMITED : 1 + r.nextInt(20);
            rl.submissionsPerHour(perHour);
            final List<Request> history = new ArrayList<>();
            final int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                history.add(new Request(randomStep(r), randomUnits(r, limits)));
            }
            final Request last = new Request(randomStep(r), randomUnits(r, limits));
            history.add(last);
            // the answer to the last request
            final IngestionGate g1 = replay(rl, history.subList(0, history.size() - 1));
            now[0] += last.stepMillis;
            final long decidedAt = now[0];
            final Admission a = g1.submit("k", last.units);
            final String where = "seed " + seed + ", trial " + trial + ": " + a;
            for (final DataType t : TYPES) {
                final int u = last.units[t.ordinal()];
                assertEquals(u > limits[t.ordinal()], a.tooLarge(t), where);
            }
            final long retryAt = a.retryAfterMillis();
            if (retryAt == 0) {
                continue;
            }
            throttledTrials++;
            if (a.submissionRetryAt() != 0 || a.counted()) {
                hourlyInvolved++;
            }
            assertTrue(retryAt > decidedAt, where);
            final int[] retry = new int[TYPES.length];
            final List<DataType> throttled = new ArrayList<>();
            for (final DataType t : TYPES) {
                if (a.throttled(t)) {
                    retry[t.ordinal()] = last.units[t.ordinal()];
                    throttled.add(t);
                }
            }
            // the whole retry, at the time and a millisecond before
            assertTrue(retryAt(rl, history, retryAt, retry).fullyAdmitted(), "retry at the time refused, " + where);
            assertFalse(retryAt(rl, history, retryAt - 1, retry).fullyAdmitted(), "admitted 1 ms earlier, " + where);
            // one throttled type alone, at its own time and a millisecond before
            final DataType one = throttled.get(r.nextInt(throttled.size()));
            final int[] alone = new int[TYPES.length];
            alone[one.ordinal()] = last.units[one.ordinal()];
            final long own = a.retryAt().get(one);
            assertTrue(retryAt(rl, history, own, alone).fullyAdmitted(), one + " at its time refused, " + where);
            assertFalse(retryAt(rl, history, own - 1, alone).fullyAdmitted(), one + " admitted 1 ms earlier, " + where);
        }
        System.out.println("HonestRetryTest: " + trials + " trials, " + throttledTrials + " throttled (" + hourlyInvolved
            + " with the hourly limit involved), every retry admitted at its time and refused 1 ms earlier");
        assertTrue(throttledTrials > trials / 4, "enough trials were throttled to mean something: " + throttledTrials);
    }

    private Admission retryAt(final RateLimits rl, final List<Request> history, final long at, final int[] units) {
        final IngestionGate g = replay(rl, history);
        now[0] = at;
        return g.submit("k", units);
    }
}
