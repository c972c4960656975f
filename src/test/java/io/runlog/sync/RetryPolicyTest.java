package io.runlog.sync;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final long S = 1_000_000_000L;

    @Test
    void ceilingDoublesFromTheBaseUpToTheCapAndStaysThereForever() {
        final RetryPolicy p = new RetryPolicy(S / 2, 60 * S, 1);
        assertEquals(S / 2, p.ceilingNanos(1));
        assertEquals(S, p.ceilingNanos(2));
        assertEquals(32 * S, p.ceilingNanos(7));
        assertEquals(60 * S, p.ceilingNanos(8));
        assertEquals(60 * S, p.ceilingNanos(63));
        assertEquals(60 * S, p.ceilingNanos(Integer.MAX_VALUE));
    }

    @Test
    void fullJitterDrawsUniformlyBetweenZeroAndTheCeilingAndNeverGivesUp() {
        final RetryPolicy p = new RetryPolicy(S / 2, 60 * S, TestSeed.of("fullJitter"));
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        final int n = 100_000;
        for (int i = 0; i < n; i++) {
            final long d = p.onFailure(-1);
            assertTrue(d >= 0 && d <= p.ceilingNanos(p.failures()), "wait " + d + " out of range at failure " + p.failures());
            if (i >= 10) {
                sum += d;
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
        }
        assertEquals(n, p.failures());
        final double mean = (double) sum / (n - 10) / S;
        assertTrue(mean > 29 && mean < 31, "mean wait at the cap is about 30 s, got " + mean);
        assertTrue(min < S, "full jitter reaches near zero, min " + min);
        assertTrue(max > 59 * S, "full jitter reaches near the cap, max " + max);
    }

    @Test
    void aFortyMinuteOutageTakesAboutEightyAttemptsNotAGiveUp() {
        final RetryPolicy p = new RetryPolicy(S / 2, 60 * S, TestSeed.of("fortyMinutes"));
        long waited = 0;
        int attempts = 0;
        while (waited < 40 * 60 * S) {
            waited += p.onFailure(-1);
            attempts++;
        }
        assertTrue(attempts > 50 && attempts < 200, "attempts in 40 minutes: " + attempts);
    }

    @Test
    void successResetsTheBackoff() {
        final RetryPolicy p = new RetryPolicy(S / 2, 60 * S, 7);
        for (int i = 0; i < 20; i++) {
            p.onFailure(-1);
        }
        p.onSuccess();
        assertEquals(0, p.failures());
        assertTrue(p.onFailure(-1) <= S / 2);
    }

    @Test
    void retryAfterIsAFloorOnAFailureAndExactOnAThrottle() {
        final RetryPolicy p = new RetryPolicy(S / 2, 60 * S, 3);
        assertTrue(p.onFailure(5 * S) >= 5 * S);
        assertEquals(7 * S, p.onThrottled(7 * S));
        assertTrue(p.onThrottled(-1) <= p.ceilingNanos(p.failures()));
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, S, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2 * S, S, 1));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertEquals(Optional.of(120 * S), RetryAfter.delayNanos(Optional.of("120"), 0));
        assertEquals(Optional.of(0L), RetryAfter.delayNanos(Optional.of("0"), 0));
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777000 ms
        assertEquals(Optional.of(30 * S),
            RetryAfter.delayNanos(Optional.of("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_747_000L));
        assertEquals(Optional.of(0L),
            RetryAfter.delayNanos(Optional.of("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_800_000L));
        assertEquals(Optional.empty(), RetryAfter.delayNanos(Optional.of("soon"), 0));
        assertEquals(Optional.empty(), RetryAfter.delayNanos(Optional.of("-5"), 0));
        assertEquals(Optional.empty(), RetryAfter.delayNanos(Optional.empty(), 0));
    }
}
