package io.runlog.sync;

import io.runlog.SyncClock;
import io.runlog.SyncSleeper;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Test time: a {@link SyncClock} whose time moves only when its {@link SyncSleeper} is asked to
 * sleep (the sleep returns at once, the clock jumped by the amount). So a sync's 40-minute outage
 * or an hour of rate limits runs in as long as the requests take. An optional hook sees every sleep
 * (tests use it to block at a point in simulated time until the real world catches up).
 */
final class SimulatedTime implements SyncClock, SyncSleeper {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final long epochOriginMillis;
    private final AtomicLong slept = new AtomicLong();
    private volatile LongConsumer onSleep = n -> { };

    SimulatedTime(final long epochOriginMillis) {
        this.epochOriginMillis = epochOriginMillis;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochMillis() {
        return epochOriginMillis + nanos.get() / 1_000_000;
    }

    /** Simulated milliseconds since the start. */
    long elapsedMillis() {
        return (nanos.get() - 1_000_000_000L) / 1_000_000;
    }

    @Override
    public void sleepNanos(final long n) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        slept.addAndGet(n);
        nanos.addAndGet(n);
        onSleep.accept(n);
        Thread.yield();
    }

    void advanceMillis(final long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    long sleptNanos() {
        return slept.get();
    }

    void onSleep(final LongConsumer hook) {
        this.onSleep = hook;
    }
}
