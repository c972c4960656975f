package io.runlog.gate;

import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.*;

/** A handle answers exactly as the gate, shares the key's state with it, and survives eviction. */
class GateHandleTest {
    private static final long T0 = 1_700_000_000_000L;
    private final AtomicLong now = new AtomicLong(T0);

    @Test
    void shouldShareTheKeysWindowWithTheGateAndAnswerTheSameRetryTime() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 10), now::get);
        final GateHandle handle = gate.handle("k", DataType.METRICS);
        assertEquals("k", handle.apiKey());
        assertEquals(DataType.METRICS, handle.type());
        assertEquals(0, handle.tryAcquire(6));
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 4), "the gate counts into the same window");
        final long viaHandle = handle.tryAcquire(1);
        final long viaGate = gate.tryAcquire("k", DataType.METRICS, 1);
        assertTrue(viaHandle > now.get());
        assertEquals(viaGate, viaHandle);
        assertEquals(Long.MAX_VALUE, handle.tryAcquire(11));
        now.set(viaHandle);
        assertEquals(0, handle.tryAcquire(1));
        assertEquals(0, gate.tryAcquire("other", DataType.METRICS, 10), "other keys are independent");
    }

    @Test
    void shouldAdmitEverythingOfAnUnlimitedTypeAndRejectBadInput() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.OUTPUT, RateLimits.UNLIMITED),
            now::get);
        final GateHandle output = gate.handle("k", DataType.OUTPUT);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, output.tryAcquire(1_000_000));
        }
        assertEquals(0, output.tryAcquire(0), "0 asks for nothing: admitted (documented)");
        assertThrows(InvalidValueException.class, () -> output.tryAcquire(-1));
        assertThrows(InvalidValueException.class, () -> gate.handle("k", null));
        assertThrows(InvalidNameException.class, () -> gate.handle(null, DataType.METRICS));
        assertThrows(InvalidNameException.class, () -> gate.handle("", DataType.METRICS));
    }

    @Test
    void shouldResolveTheKeyAgainAfterTheGateEvictedItsState() {
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, 10)
            .submissionsPerHour(RateLimits.UNLIMITED), now::get);
        final GateHandle handle = gate.handle("k", DataType.METRICS);
        assertEquals(0, handle.tryAcquire(10));
        now.addAndGet(120_000); // the window empties
        assertEquals(1, gate.evictIdle());
        assertEquals(0, gate.trackedKeys());
        assertEquals(0, handle.tryAcquire(7), "counted into a fresh state, not the evicted one");
        assertEquals(1, gate.trackedKeys());
        assertNotEquals(0, gate.tryAcquire("k", DataType.METRICS, 4), "the gate sees the handle's 7");
        assertEquals(0, gate.tryAcquire("k", DataType.METRICS, 3));
    }

    @Test
    void shouldNeverOverAdmitWhenHandlesAndTheGateRaceAnEvictor() throws Exception {
        final int limit = 50;
        final ThreadLocal<long[]> lastRead = ThreadLocal.withInitial(() -> new long[1]);
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, limit)
            .submissionsPerHour(RateLimits.UNLIMITED), () -> {
                final long t = now.get();
                lastRead.get()[0] = t;
                return t;
            });
        final int seconds = 900;
        final AtomicLongArray perSecond = new AtomicLongArray(seconds + 120);
        final AtomicLong evicted = new AtomicLong();
        final AtomicLong passes = new AtomicLong();
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Thread evictor = new Thread(() -> {
            while (running.get()) {
                evicted.addAndGet(gate.evictIdle());
                passes.incrementAndGet();
            }
        });
        evictor.start();
        Concurrently.run(3, id -> {
            final GateHandle handle = gate.handle("k", DataType.METRICS);
            for (int i = 0; i < seconds * 1_000 / 4; i++) {
                final long time = id == 0 ? now.addAndGet(4) : now.get();
                if (id == 0 && (time - T0) % 150_000 == 149_996) {
                    final long seen = passes.get();
                    while (passes.get() < seen + 2) {
                        Thread.onSpinWait();
                    }
                }
                if ((time - T0) % 150_000 >= 75_000) {
                    continue; // silence: the key's window empties and the evictor strikes
                }
                final long answer = id == 2 ? gate.tryAcquire("k", DataType.METRICS, 1) : handle.tryAcquire(1);
                if (answer == 0) {
                    perSecond.addAndGet((int) ((lastRead.get()[0] - T0) / 1000), 1);
                }
            }
        });
        running.set(false);
        evictor.join();
        assertTrue(evicted.get() > 0, "the evictor must have struck");
        for (int s = 0; s < seconds; s++) {
            long sum = 0;
            for (int d = 0; d < 59; d++) {
                sum += perSecond.get(s + d);
            }
            assertTrue(sum <= limit, "admitted " + sum + " in the 59 s from second " + s);
        }
    }
}
