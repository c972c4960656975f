package io.runlog.gate;

import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The quota view for HTTP RateLimit headers: what a request may still take, and when the limit is whole again. */
class QuotaTest {
    private static final long T0 = 1_700_000_000_000L;

    private final long[] now = {T0};

    @Test
    void aFreshKeyHasTheWholeLimitAndReadingItMakesNoState() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.OUTPUT, RateLimits.UNLIMITED),
            () -> now[0]);
        assertEquals(new Quota(12_000, 12_000, 0, 60), gate.quota("k", DataType.METRICS));
        assertEquals(new Quota(15_000, 15_000, 0, 3_600), gate.submissionQuota("k"));
        final Quota unlimited = gate.quota("k", DataType.OUTPUT);
        assertTrue(unlimited.unlimited());
        assertEquals(RateLimits.UNLIMITED, unlimited.remaining());
        assertEquals(0, gate.trackedKeys());
        assertThrows(InvalidValueException.class, () -> gate.quota("k", null));
        assertThrows(InvalidNameException.class, () -> gate.quota("", DataType.METRICS));
        assertThrows(InvalidNameException.class, () -> gate.submissionQuota(null));
    }

    @Test
    void remainingFallsWithAdmissionsNotWithRefusalsAndResetSaysWhenTheWholeLimitIsBack() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 10), () -> now[0]);
        assertTrue(gate.submit("k", 4, 0, 0, 0).fullyAdmitted());
        now[0] += 200;
        // sub-window 0 (1.5 s) counts through sub-window 40: whole again at T0 + 61.5 s, 61.3 s from now
        assertEquals(new Quota(10, 6, 62, 60), gate.quota("k", DataType.METRICS));
        assertEquals(new Quota(15_000, 14_999, 3_690, 3_600), gate.submissionQuota("k"));
        assertNotEquals(0, gate.tryAcquire("k", DataType.METRICS, 7));
        assertEquals(6, gate.quota("k", DataType.METRICS).remaining(), "a refusal takes nothing");
        now[0] = T0 + 30_000;
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 6));
        final Quota full = gate.quota("k", DataType.METRICS);
        assertEquals(0, full.remaining());
        assertEquals(62, full.resetSeconds(), "the last units (sub-window 20) leave at T0 + 91.5 s, 61.5 s from now");
        now[0] = T0 + 61_500;
        assertEquals(4, gate.quota("k", DataType.METRICS).remaining(), "the first 4 have left");
        now[0] = T0 + 91_500;
        assertEquals(new Quota(10, 10, 0, 60), gate.quota("k", DataType.METRICS));
    }

    @Test
    void aRequestOfRemainingUnitsIsAdmittedAndOneMoreIsNot() {
        final long seed = TestSeed.of("QuotaTest.remaining");
        final SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 2_000; trial++) {
            now[0] = T0;
            final int limit = 1 + r.nextInt(50);
            final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, limit)
                .submissionsPerHour(RateLimits.UNLIMITED), () -> now[0]);
            for (int i = r.nextInt(30); i > 0; i--) {
                now[0] += r.nextLong(5_000);
                gate.tryAcquire("k", DataType.METRICS, 1 + r.nextInt(limit));
            }
            now[0] += r.nextLong(5_000);
            final Quota q = gate.quota("k", DataType.METRICS);
            final String where = "seed " + seed + ", trial " + trial + ": " + q;
            if (q.remaining() < limit) {
                assertNotEquals(0, gate.tryAcquire("k", DataType.METRICS, (int) q.remaining() + 1), where);
            }
            final long t = now[0];
            now[0] = t + q.resetSeconds() * 1_000; // reading a quota changes nothing: look ahead, come back
            assertEquals(limit, gate.quota("k", DataType.METRICS).remaining(), "whole again after reset, " + where);
            if (q.resetSeconds() > 0) {
                now[0] = t + (q.resetSeconds() - 1) * 1_000;
                assertTrue(gate.quota("k", DataType.METRICS).remaining() < limit, "not a second earlier, " + where);
            }
            now[0] = t;
            if (q.remaining() > 0) {
                assertEquals(0, gate.tryAcquire("k", DataType.METRICS, (int) q.remaining()), where);
            }
        }
    }
}
