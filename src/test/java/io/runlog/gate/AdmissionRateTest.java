package io.runlog.gate;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How much the gate admits, through its public API on a simulated clock: never more than the
 * limit in any interval of the window's length (the strict guarantee), at least 97 % of the
 * limit under steady over-demand, and all of any steady demand up to 95 % of it.
 */
class AdmissionRateTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;

    private final long[] now = {T0};

    private IngestionGate metricsGate(final long limit) {
        now[0] = T0;
        return new IngestionGate(new RateLimits().perMinute(DataType.METRICS, limit)
            .submissionsPerHour(RateLimits.UNLIMITED), () -> now[0]);
    }

    /** The most units admitted in any closed interval [t, t + window] (times sorted ascending). */
    static long maxInAnyInterval(final long[] times, final long[] units, final int n, final long window) {
        long best = 0;
        long sum = 0;
        int tail = 0;
        for (int head = 0; head < n; head++) {
            sum += units[head];
            while (times[tail] < times[head] - window) {
                sum -= units[tail++];
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    /** The fewest units admitted in any interval [t, t + window) with from <= t <= to - window, sampled every step ms. */
    static long minInAnyInterval(final long[] times, final long[] units, final int n, final long from, final long to,
                                 final long window, final long step) {
        long worst = Long.MAX_VALUE;
        int lo = 0;
        int hi = 0;
        long sum = 0;
        for (long t = from; t + window <= to; t += step) {
            while (hi < n && times[hi] < t + window) {
                sum += units[hi++];
            }
            while (lo < hi && times[lo] < t) {
                sum -= units[lo++];
            }
            worst = Math.min(worst, sum);
        }
        return worst;
    }

    @Test
    void noIntervalOfTheWindowsLengthEverHoldsMoreThanTheLimitUnderRandomArrivals() {
        final long seed = TestSeed.of("AdmissionRateTest.strict");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 30; round++) {
            final int limit = 1 + r.nextInt(20_000);
            final IngestionGate gate = metricsGate(limit);
            final int n = 40_000;
            final long[] times = new long[n];
            final long[] units = new long[n];
            int admitted = 0;
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(4)) {
                    case 0 -> now[0] += r.nextInt(5);                       // burst
                    case 1 -> now[0] += 1 + r.nextInt(50);                  // steady
                    case 2 -> now[0] += 1_500 - (now[0] - T0) % 1_500 - 1 + r.nextInt(3); // straddle a sub-window boundary
                    default -> now[0] += r.nextInt(3_000);                  // a pause
                }
                final int u = 1 + r.nextInt(Math.max(1, limit / (1 + r.nextInt(40))));
                final long answer = gate.tryAcquire("k", DataType.METRICS, u);
                if (answer == 0) {
                    times[admitted] = now[0];
                    units[admitted++] = u;
                } else {
                    assertTrue(answer > now[0], "seed " + seed);
                }
            }
            final long max = maxInAnyInterval(times, units, admitted, MINUTE);
            assertTrue(max <= limit, "seed " + seed + ", round " + round + ": " + max + " > " + limit + " in a closed minute");
        }
    }

    @Test
    void steadyOverDemandGetsAtLeast97PercentOfTheLimit() {
        for (final int factor : new int[]{2, 5}) {
            final long limit = 12_000;
            final IngestionGate gate = metricsGate(limit);
            final long periodMillis = 10;
            final int units = (int) (factor * limit * periodMillis / MINUTE); // factor x the limit
            final long hours = 6;
            final long end = T0 + hours * 60 * MINUTE;
            final int max = (int) ((end - T0) / periodMillis) + 1;
            final long[] times = new long[max];
            final long[] admittedUnits = new long[max];
            int n = 0;
            for (now[0] = T0; now[0] < end; now[0] += periodMillis) {
                if (gate.tryAcquire("k", DataType.METRICS, units) == 0) {
                    times[n] = now[0];
                    admittedUnits[n++] = units;
                }
            }
            assertTrue(maxInAnyInterval(times, admittedUnits, n, MINUTE) <= limit, "strict at " + factor + "x");
            // the long-run share: the mean over every minute after the first (a burst at either edge weighs 1/350)
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += times[i] >= T0 + MINUTE ? admittedUnits[i] : 0;
            }
            final double share = sum / ((hours * 60 - 1.0) * limit);
            final long worst = minInAnyInterval(times, admittedUnits, n, T0 + MINUTE, end, MINUTE, 100);
            System.out.printf(java.util.Locale.ROOT, "AdmissionRateTest: %dx the limit: %.2f %% admitted over %d hours,"
                + " worst minute %.2f %%%n", factor, 100 * share, hours, 100.0 * worst / limit);
            assertTrue(share >= 0.97, factor + "x: " + share);
            if (factor == 2) {
                assertTrue(worst >= 0.95 * limit, factor + "x, worst minute: " + worst);
            }
        }
    }

    @Test
    void anySteadyDemandUpTo95PercentOfTheLimitIsAdmittedWhole() {
        final long seed = TestSeed.of("AdmissionRateTest.steady");
        final SplittableRandom r = new SplittableRandom(seed);
        final List<String> cases = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            final long limit = 100 + r.nextInt(100_000);
            final long period = 1 + r.nextInt(1_500);     // steady: at least one request every 1.5 s
            final double demand = 0.80 + 0.15 * r.nextDouble();
            final int units = (int) Math.floor(demand * limit * period / MINUTE);
            if (units < 1) {
                continue;
            }
            final IngestionGate gate = metricsGate(limit);
            final long phase = r.nextInt(1_500);
            final long end = T0 + 5 * MINUTE;
            for (now[0] = T0 + phase; now[0] < end; now[0] += period) {
                final long answer = gate.tryAcquire("k", DataType.METRICS, units);
                assertEquals(0, answer, "seed " + seed + ", round " + round + ": " + units + " every " + period
                    + " ms (" + units * (double) MINUTE / period / limit + " of " + limit + "/min) refused at +" + (now[0] - T0));
            }
            cases.add(limit + "/" + period);
        }
        assertTrue(cases.size() > 100, "enough cases ran: " + cases.size());
        // the client at 90 %: 10,800 metrics a minute, 180 every second
        final IngestionGate gate = metricsGate(12_000);
        for (now[0] = T0; now[0] < T0 + 10 * MINUTE; now[0] += 1_000) {
            assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 180), "a client at 90 % is never throttled");
        }
    }
}
