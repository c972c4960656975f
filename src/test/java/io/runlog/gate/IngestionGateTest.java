package io.runlog.gate;

import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.*;

/** Per-key, per-type rate limits: independent, exact over rolling windows, retry times, eviction. */
class IngestionGateTest {
    private static final long T0 = 1_700_000_000_000L;

    private final AtomicLong now = new AtomicLong(T0);
    /** The time the gate last read, per thread: admissions are accounted at the time they were decided. */
    private final ThreadLocal<long[]> lastRead = ThreadLocal.withInitial(() -> new long[1]);

    /** A gate limiting metrics only, whose clock reads {@link #now} and records the reading per thread. */
    private IngestionGate recordingGate(final int metricsPerMinute) {
        return new IngestionGate(new RateLimits().perMinute(DataType.METRICS, metricsPerMinute)
            .submissionsPerHour(RateLimits.UNLIMITED), () -> {
                final long t = now.get();
                lastRead.get()[0] = t;
                return t;
            });
    }

    @Test
    void shouldThrottleOneTypeOfOneKeyWithoutAffectingOtherTypesOrKeys() {
        final IngestionGate gate = new IngestionGate(new RateLimits(), now::get);
        for (int i = 0; i < 12; i++) {
            assertEquals(0, gate.tryAcquire("alice", DataType.METRICS, 1_000));
        }
        final long retry = gate.tryAcquire("alice", DataType.METRICS, 1);
        assertTrue(retry > now.get(), "throttled with a time in the future");
        assertTrue(retry <= now.get() + 70_000, "within a window and a sub-window: " + (retry - now.get()));
        assertEquals(0, gate.tryAcquire("alice", DataType.PARAMETERS, 10_000), "other types are independent");
        assertEquals(0, gate.tryAcquire("alice", DataType.OUTPUT, 1));
        assertEquals(0, gate.tryAcquire("bob", DataType.METRICS, 12_000), "other keys are independent");
        now.set(retry - 1);
        assertNotEquals(0, gate.tryAcquire("alice", DataType.METRICS, 1), "not before the retry time");
        now.set(retry);
        assertEquals(0, gate.tryAcquire("alice", DataType.METRICS, 1), "at the retry time");
    }

    @Test
    void shouldDecideAMixedSubmissionTypeByTypeAndCountItOnce() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 1_000)
            .submissionsPerHour(3), now::get);
        Admission a = gate.submit("k", 500, 10, 0, 0);
        assertTrue(a.fullyAdmitted());
        a = gate.submit("k", 600, 10, 0, 0); // 500 + 600 metrics > 1,000: metrics throttled, parameters not
        assertFalse(a.admitted(DataType.METRICS));
        assertTrue(a.admitted(DataType.PARAMETERS));
        assertTrue(a.retryAt().get(DataType.METRICS) > now.get());
        assertTrue(gate.submit("k", 0, 0, 1, 0).fullyAdmitted()); // third submission
        a = gate.submit("k", 0, 1, 0, 0); // the fourth in the hour: everything throttled
        assertTrue(a.submissionRetryAt() > now.get());
        assertFalse(a.admitted(DataType.PARAMETERS));
        assertEquals(a.submissionRetryAt(), a.retryAfterMillis());
        assertThrows(InvalidValueException.class, () -> gate.submit("k", 1, 2));
        assertThrows(InvalidValueException.class, () -> gate.submit("k", (int[]) null));
        assertThrows(InvalidNameException.class, () -> gate.tryAcquire("", DataType.METRICS, 1));
        assertThrows(InvalidNameException.class, () -> gate.tryAcquire(null, DataType.METRICS, 1));
        assertThrows(InvalidValueException.class, () -> gate.tryAcquire("k", null, 1));
        assertThrows(InvalidValueException.class, () -> gate.tryAcquire("k", DataType.METRICS, -1));
    }

    @Test
    void shouldCountNothingOfASubmissionWithABadCount() {
        final IngestionGate gate = new IngestionGate(new RateLimits().submissionsPerHour(1), now::get);
        assertThrows(InvalidValueException.class, () -> gate.submit("k", 5, -1, 0, 0));
        assertTrue(gate.submit("k", 5, 1, 0, 0).fullyAdmitted(), "the rejected submission was not counted");
    }

    @Test
    void shouldAdmitEverythingOfAnUnlimitedType() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.OUTPUT, RateLimits.UNLIMITED)
            .submissionsPerHour(RateLimits.UNLIMITED), now::get);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(0, gate.tryAcquire("k", DataType.OUTPUT, 1_000_000));
            assertTrue(gate.submit("k", 0, 0, 5, 0).fullyAdmitted());
        }
        assertEquals(Long.MAX_VALUE, gate.tryAcquire("k", DataType.METRICS, 12_001), "more than a limit: never");
    }

    @Test
    void shouldEvictIdleKeysAndForgetNothingThatStillCounts() {
        final IngestionGate gate = new IngestionGate(new RateLimits(), now::get);
        for (int i = 0; i < 5_000; i++) {
            gate.tryAcquire("key-" + i, DataType.METRICS, 1);
        }
        assertEquals(0, gate.tryAcquire("key-0", DataType.METRICS, 11_999), "fills key-0's minute");
        assertNotEquals(0, gate.tryAcquire("key-0", DataType.METRICS, 1));
        assertEquals(0, gate.evictIdle(), "nothing is idle yet");
        now.addAndGet(3 * 3_600_000L);
        gate.tryAcquire("fresh", DataType.METRICS, 1);
        assertEquals(5_000, gate.evictIdle());
        assertEquals(1, gate.trackedKeys());
        assertEquals(0, gate.tryAcquire("key-0", DataType.METRICS, 12_000), "an evicted key starts afresh");
    }

    @Test
    void shouldNeverAdmitMoreThanTheLimitPerKeyWhenThreadsHammerOneAndSeveralKeys() throws Exception {
        final int limit = 3_000;
        final IngestionGate gate = recordingGate(limit);
        final int threads = 4;
        final int keys = 3;
        final int minutes = 5;
        // admitted units per key per minute, and the check that no rolling minute exceeds the limit
        final AtomicLongArray perSecond = new AtomicLongArray(keys * minutes * 60 + keys * 60);
        Concurrently.run(threads, id -> {
            for (int i = 0; i < 300_000; i++) {
                if (id == 0) {
                    now.addAndGet(1); // 300 s of simulated time
                }
                final int key = (i + id) % keys;
                if (gate.tryAcquire("key-" + key, DataType.METRICS, 1) == 0) {
                    final int second = (int) ((lastRead.get()[0] - T0) / 1000);
                    perSecond.addAndGet(key * (minutes * 60 + 60) + second, 1);
                }
            }
        });
        for (int k = 0; k < keys; k++) {
            long total = 0;
            for (int s = 0; s < minutes * 60; s++) {
                // every rolling 59 s interval of whole seconds lies inside a 60 s window
                long sum = 0;
                for (int d = 0; d < 59 && s + d < minutes * 60 + 60; d++) {
                    sum += perSecond.get(k * (minutes * 60 + 60) + s + d);
                }
                assertTrue(sum <= limit, "key " + k + " admitted " + sum + " in the 59 s from second " + s);
                total += perSecond.get(k * (minutes * 60 + 60) + s);
            }
            assertTrue(total >= limit * (minutes - 1), "key " + k + " was starved: " + total);
        }
    }

    @Test
    void shouldForgetNoAdmissionWhileAnEvictorRacesThreadsOnKeysThatFallIdle() throws Exception {
        final int limit = 50;
        final IngestionGate gate = recordingGate(limit);
        final int threads = 3;
        final int keys = 2;
        final int seconds = 1_200;
        final AtomicLongArray perSecond = new AtomicLongArray(keys * (seconds + 120));
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        final AtomicLong evicted = new AtomicLong();
        final AtomicLong passes = new AtomicLong();
        final Thread evictor = new Thread(() -> {
            while (running.get()) {
                evicted.addAndGet(gate.evictIdle());
                passes.incrementAndGet();
            }
        });
        evictor.start();
        Concurrently.run(threads, id -> {
            for (int i = 0; i < seconds * 1_000 / 4; i++) {
                final long time = id == 0 ? now.addAndGet(4) : now.get();
                if (id == 0 && (time - T0) % 150_000 == 149_996) {
                    // late in the silence: let the evictor finish two passes (no sleep, a handshake)
                    final long seen = passes.get();
                    while (passes.get() < seen + 2) {
                        Thread.onSpinWait();
                    }
                }
                if ((time - T0) % 150_000 >= 75_000) {
                    continue; // 75 s of silence in every 150 s: the keys' windows empty, eviction strikes
                }
                final int key = (i + id) % keys;
                if (gate.tryAcquire("key-" + key, DataType.METRICS, 1) == 0) {
                    final int second = (int) ((lastRead.get()[0] - T0) / 1000);
                    perSecond.addAndGet(key * (seconds + 120) + second, 1);
                }
            }
        });
        running.set(false);
        evictor.join();
        assertTrue(evicted.get() > 0, "the evictor must have struck");
        for (int k = 0; k < keys; k++) {
            for (int s = 0; s < seconds; s++) {
                long sum = 0;
                for (int d = 0; d < 59; d++) {
                    sum += perSecond.get(k * (seconds + 120) + s + d);
                }
                assertTrue(sum <= limit, "key " + k + " admitted " + sum + " in the 59 s from second " + s
                    + " (evictions: " + evicted.get() + ")");
            }
        }
    }
}
