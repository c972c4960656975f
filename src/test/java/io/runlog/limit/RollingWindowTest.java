package io.runlog.limit;

import io.runlog.testing.TestSeed;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The guarantee of {@link RollingWindow}: never more than {@code limit} units admitted in any
 * interval of the window's length, checked at every millisecond over bursty, steady and
 * boundary-straddling traffic driven by a simulated clock, and under concurrency.
 */
class RollingWindowTest {
    private static final long WINDOW = 60_000;

    /** Admitted (time, units) pairs, checked against every interval [t, t + WINDOW). */
    private static final class Ledger {
        final List<long[]> admitted = new ArrayList<>();

        void add(final long time, final int units) {
            admitted.add(new long[]{time, units});
        }

        long total() {
            return admitted.stream().mapToLong(a -> a[1]).sum();
        }

        /** The largest number of units admitted in any interval of {@code window} milliseconds. */
        long maxInAnyWindow(final long window) {
            final List<long[]> sorted = new ArrayList<>(admitted);
            sorted.sort((x, y) -> Long.compare(x[0], y[0]));
            long best = 0;
            long sum = 0;
            int tail = 0;
            for (final long[] head : sorted) {
                sum += head[1];
                while (sorted.get(tail)[0] <= head[0] - window) {
                    sum -= sorted.get(tail)[1];
                    tail++;
                }
                best = Math.max(best, sum);
            }
            return best;
        }
    }

    @Test
    void shouldNeverAdmitMoreThanTheLimitInAnyRollingWindowUnderRandomTraffic() {
        final long seed = TestSeed.of("RollingWindowTest");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++) {
            final int limit = 1 + random.nextInt(20_000);
            final int subWindows = new int[]{1, 2, 6, 12, 60}[random.nextInt(5)];
            final long origin = 1_700_000_000_000L + random.nextInt(1_000_000);
            final RollingWindow w = new RollingWindow(limit, WINDOW, subWindows, origin);
            final Ledger ledger = new Ledger();
            long now = origin;
            for (int i = 0; i < 20_000; i++) {
                switch (random.nextInt(3)) {
                    case 0 -> now += random.nextInt(5);                  // burst
                    case 1 -> now += 1 + random.nextInt(50);             // steady
                    default -> now = alignedNear(now, WINDOW / subWindows, random); // straddle a boundary
                }
                final int units = 1 + random.nextInt(Math.max(1, limit / 10));
                final long answer = w.tryAcquire(now, units);
                if (answer == 0) {
                    ledger.add(now, units);
                } else {
                    assertTrue(answer > now, "retry-after must be in the future (seed " + seed + ")");
                }
            }
            assertTrue(ledger.maxInAnyWindow(WINDOW) <= limit,
                () -> "more than " + limit + " in a window (seed " + seed + ")");
            assertTrue(ledger.total() > 0);
        }
    }

    private static long alignedNear(final long now, final long sub, final SplittableRandom random) {
        final long boundary = (now / sub + 1) * sub;
        return Math.max(now, boundary - 1 + random.nextInt(3));
    }

    @Test
    void shouldNotAdmitTwiceTheLimitAcrossACalendarBoundary() {
        final RollingWindow w = new RollingWindow(100, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(59_999, 100));    // all of it just before a minute ends
        assertNotEquals(0, w.tryAcquire(60_000, 1));   // a calendar minute would admit 100 more here
        assertNotEquals(0, w.tryAcquire(119_998, 1));
    }

    @Test
    void shouldAnswerARetryTimeAtWhichTheRequestSucceeds() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(5_000, 6));
        assertEquals(0, w.tryAcquire(25_000, 4));
        final long retry = w.tryAcquire(30_000, 5);
        assertTrue(retry > 30_000);
        assertNotEquals(0, w.tryAcquire(retry - 1, 5), "not before the answer");
        assertEquals(0, w.tryAcquire(retry, 5), "at the answer");
    }

    @Test
    void shouldThrottleARequestWhoseClockReadingIsTwoSubWindowsStale() {
        final RollingWindow w = new RollingWindow(100, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(25_000, 1));             // another thread is in sub-window 2
        final long retry = w.tryAcquire(5_000, 1);            // a reading from sub-window 0
        assertTrue(retry > 5_000, "stale requests are throttled with a retry time after their own");
        assertEquals(0, w.tryAcquire(15_000, 1), "one sub-window behind is still counted exactly");
    }

    @Test
    void shouldRejectARequestLargerThanTheLimitForever() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(Long.MAX_VALUE, w.tryAcquire(1, 11));
        assertThrows(IllegalArgumentException.class, () -> w.tryAcquire(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RollingWindow(0, WINDOW, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new RollingWindow(RollingWindow.MAX_LIMIT + 1, WINDOW, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new RollingWindow(10, 1000, 7, 0));
    }

    @Test
    void shouldNeverOverAdmitWhenManyThreadsRaceOnOneWindow() throws Exception {
        final int threads = 4;
        final int limit = 5_000;
        final long sub = WINDOW / 6;
        final RollingWindow w = new RollingWindow(limit, WINDOW, 6, 0);
        final AtomicLong clock = new AtomicLong();
        final List<Ledger> ledgers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ledgers.add(new Ledger());
        }
        Concurrently.run(threads, id -> {
            final Ledger ledger = ledgers.get(id);
            for (int i = 0; i < 200_000; i++) {
                // the simulated clock moves forward a little on every request of thread 0
                final long now = id == 0 ? clock.addAndGet(3) : clock.get();
                if (w.tryAcquire(now, 1 + (i & 3)) == 0) {
                    ledger.add(now, 1 + (i & 3));
                }
            }
        });
        final Ledger all = new Ledger();
        ledgers.forEach(l -> all.admitted.addAll(l.admitted));
        if (all.maxInAnyWindow(WINDOW) > limit) {
            final List<long[]> sorted = new ArrayList<>(all.admitted);
            sorted.sort((x, y) -> Long.compare(x[0], y[0]));
            long sum = 0;
            int tail = 0;
            for (final long[] head : sorted) {
                sum += head[1];
                while (sorted.get(tail)[0] <= head[0] - WINDOW) {
                    sum -= sorted.get(tail)[1];
                    tail++;
                }
                if (sum > limit) {
                    System.out.println("window ending " + head[0] + " holds " + sum + "; by sub-window:");
                    final java.util.TreeMap<Long, Long> bySub = new java.util.TreeMap<>();
                    for (int k = tail; k < sorted.size() && sorted.get(k)[0] <= head[0]; k++) {
                        bySub.merge(sorted.get(k)[0] / sub, sorted.get(k)[1], Long::sum);
                    }
                    System.out.println(bySub + " first " + sorted.get(tail)[0]);
                    break;
                }
            }
        }
        assertTrue(all.maxInAnyWindow(WINDOW) <= limit, "over-admitted: " + all.maxInAnyWindow(WINDOW));
        // ... and no update was lost: the window was filled, not starved
        assertTrue(all.maxInAnyWindow(WINDOW + sub) >= limit - 4, "under-admitted: " + all.maxInAnyWindow(WINDOW + sub));
    }

    @Test
    void shouldNeverOverAdmitWhenThreadsCrossSubWindowsWithLateClockReadings() throws Exception {
        final long seed = TestSeed.of("RollingWindowTest.shouldNeverOverAdmitWhenThreadsCrossSubWindowsWithLateClockReadings");
        final int threads = 4;
        final long window = 600;                                 // 6 sub-windows of 100 ms: a boundary every 100 ticks
        final int limit = 300;
        final RollingWindow w = new RollingWindow(limit, window, 6, 0);
        final AtomicLong clock = new AtomicLong();
        final List<Ledger> ledgers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ledgers.add(new Ledger());
        }
        Concurrently.run(threads, id -> {
            final SplittableRandom random = new SplittableRandom(seed + id);
            final Ledger ledger = ledgers.get(id);
            for (int i = 0; i < 300_000; i++) {
                final long now = id == 0 ? clock.incrementAndGet() / 8 : clock.get() / 8;
                for (int spin = random.nextInt(64); spin > 0; spin--) {
                    Thread.onSpinWait();                         // a reading that may be late by the time it is used
                }
                final int units = 1 + random.nextInt(4);
                if (w.tryAcquire(now, units) == 0) {
                    ledger.add(now, units);
                } else if (random.nextInt(16) == 0 && w.tryAcquire(now, 1) == 0) {
                    ledger.add(now, 1);
                }
            }
        });
        final Ledger all = new Ledger();
        ledgers.forEach(l -> all.admitted.addAll(l.admitted));
        assertTrue(all.maxInAnyWindow(window) <= limit, "over-admitted: " + all.maxInAnyWindow(window) + " (seed " + seed + ")");
        assertTrue(all.maxInAnyWindow(window + window / 6) >= limit - 8,
            "under-admitted: " + all.maxInAnyWindow(window + window / 6) + " (seed " + seed + ")");
    }

    @Test
    void shouldComputeTheSubWindowIndexExactlyAsAFloorDivision() {
        final long seed = TestSeed.of("RollingWindowTest.shouldComputeTheSubWindowIndexExactlyAsAFloorDivision");
        final java.util.Random random = new java.util.Random(seed);
        for (int round = 0; round < 2_000; round++) {
            final int subWindows = 1 + random.nextInt(12);
            final long sub = 1 + (random.nextBoolean() ? random.nextInt(20) : random.nextInt(10_000_000));
            final long origin = random.nextBoolean() ? 0 : random.nextLong() >>> 24;
            final RollingWindow w = new RollingWindow(10, sub * subWindows, subWindows, origin);
            for (int i = 0; i < 200; i++) {
                final long base = origin + (random.nextLong() >>> 23) / sub * sub; // up to 2^41 ms: year 2039 and beyond
                final long now = base + random.nextInt(5) - 2;
                assertEquals(Math.floorDiv(now - origin, sub), w.subWindowIndex(now),
                    "now " + now + ", origin " + origin + ", sub-window " + sub + " ms (seed " + seed + ")");
            }
        }
    }

    @Test
    void shouldAnswerFromTheMemoExactlyWhatAFreshDecisionAnswers() {
        final long seed = TestSeed.of("RollingWindowTest.memo");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++) {
            final int limit = 1 + random.nextInt(200);
            final RollingWindow w = new RollingWindow(limit, WINDOW, new int[]{6, 40}[random.nextInt(2)], 0);
            long now = 0;
            for (int i = 0; i < 20_000; i++) {
                now += random.nextInt(4) == 0 ? random.nextInt(5_000) : random.nextInt(20);
                final int units = 1 + random.nextInt(Math.max(1, limit / 4));
                final long fresh = w.peek(now, units); // never reads the memo
                final long answer = w.tryAcquire(now, units);
                assertEquals(fresh, answer, "seed " + seed + ", round " + round + ", at " + now);
                if (answer != 0) {
                    assertEquals(answer, w.tryAcquire(now, units), "repeated (memo), seed " + seed);
                    final long later = now + random.nextInt(3);
                    assertEquals(w.peek(later, units), w.tryAcquire(later, units), "seed " + seed + ", at " + later);
                    now = later; // the clock never goes back here (peek refuses a stale reading that decide may admit)
                }
                if (random.nextInt(50) == 0 && answer == 0) {
                    w.release(now, units);
                }
            }
        }
    }

    @Test
    void shouldRepeatARefusalWhileTheWindowIsUnchangedAndDecideAfreshOnceItChanges() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(1_000, 10));
        final long retry = w.tryAcquire(1_000, 1);
        assertEquals(70_000, retry);
        assertEquals(retry, w.tryAcquire(1_000, 1), "the same refusal, the same answer");
        assertEquals(retry, w.tryAcquire(9_999, 1), "a later millisecond of the same sub-window: the same answer");
        final long three = w.tryAcquire(9_999, 3);
        assertEquals(70_000, three, "other units are decided afresh (same time here)");
        w.release(1_000, 3);                                      // the count drops: the window's word changed
        assertEquals(0, w.tryAcquire(1_000, 1), "decided afresh, not repeated: no under-admission");
        assertEquals(0, w.tryAcquire(1_001, 2));
        final long full = w.tryAcquire(1_001, 1);
        assertEquals(full, w.tryAcquire(1_001, 1));
        assertEquals(retry, full, "answers never move back in time while the count is full");
        assertEquals(retry, w.tryAcquire(10_000, 1), "a new sub-window is decided afresh: the first still counts");
    }

    @Test
    void shouldCountARequestOneSubWindowLateInTheNewestSubWindow() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(1_000, 4));                 // sub-window 0
        assertEquals(0, w.tryAcquire(70_000, 5));                // sub-window 7: 0 has left its count
        assertNotEquals(0, w.tryAcquire(69_999, 2), "a reading from sub-window 6 must still count sub-window 0's 4");
        assertEquals(0, w.tryAcquire(69_999, 1), "4 + 5 + 1 fit");
        assertNotEquals(0, w.tryAcquire(70_000, 5), "5 + 1 + 5 > 10: the late unit counts in sub-window 7");
        assertEquals(0, w.tryAcquire(70_000, 4));
        assertNotEquals(0, w.tryAcquire(139_999, 1), "sub-window 13 still counts sub-window 7");
        assertEquals(0, w.tryAcquire(140_000, 10), "... and 14 no longer does");
    }

    @Test
    void shouldKeepUnitsCountedWhenTheyAreTakenBackAfterTheWindowMoved() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(1_000, 6));
        assertEquals(0, w.tryAcquire(10_000, 1));                 // sub-window 1: 0 is closed
        w.release(1_000, 6);                                      // too late to take back: stays counted
        assertNotEquals(0, w.tryAcquire(10_000, 4), "under-admission, never over-admission");
        assertEquals(0, w.tryAcquire(10_000, 3));
    }

    @Test
    void shouldCopyEveryCountedUnitIncludingClosedSubWindows() {
        final RollingWindow w = new RollingWindow(10, WINDOW, 6, 0);
        assertEquals(0, w.tryAcquire(1_000, 3));
        assertEquals(0, w.tryAcquire(25_000, 4));
        final RollingWindow copy = w.copy();
        assertNotEquals(0, copy.tryAcquire(30_000, 4), "3 + 4 + 4 > 10");
        assertEquals(0, copy.tryAcquire(30_000, 3));
        assertFalse(copy.isEmptyAt(60_000));
        assertTrue(copy.isEmptyAt(100_000));
        assertEquals(0, w.tryAcquire(30_000, 3), "the original counts on its own");
    }
}
