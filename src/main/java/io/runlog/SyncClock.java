package io.runlog;

/**
 * The clock a {@link Sync} measures its waits with: a monotonic {@link #nanoTime()} for backoff and
 * {@code Retry-After}, and {@link #epochMillis()} for what it reports (status, throttle notices,
 * the local warning flag). {@link #SYSTEM} is the machine's; tests inject a simulated clock that a
 * simulated {@link SyncSleeper} advances, so a 40-minute outage runs in seconds.
 *
 * <p>Implementations must be thread-safe; {@link #nanoTime()} must never go backwards.
 */
public interface SyncClock {
    /** The machine's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    SyncClock SYSTEM = new SyncClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic nanoseconds (any origin). */
    long nanoTime();

    /** Wall-clock epoch milliseconds. */
    long epochMillis();
}
