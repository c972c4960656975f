package io.runlog;

import java.util.concurrent.locks.LockSupport;

/**
 * How a {@link Sync} waits between attempts. The sync never relies on a sleep lasting as long as
 * asked: after every sleep it reads its {@link SyncClock} again and sleeps the rest, so it never sends
 * before a deadline (a {@code Retry-After}) even if a sleeper returns early. Tests inject a sleeper
 * that advances a simulated clock instead of waiting.
 */
@FunctionalInterface
public interface SyncSleeper {
    /** Parks the calling thread (interruptibly). */
    SyncSleeper SYSTEM = nanos -> {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException("sync sleep interrupted");
        }
    };

    /**
     * Waits about {@code nanos} (positive) nanoseconds; may return early.
     *
     * @throws InterruptedException if the thread was interrupted (the sync is being closed)
     */
    void sleepNanos(long nanos) throws InterruptedException;
}
