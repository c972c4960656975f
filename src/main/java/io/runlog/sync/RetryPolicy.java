package io.runlog.sync;

import java.util.SplittableRandom;

/**
 * Internal: how long a sync waits before its next attempt.
 *
 * <ul>
 *   <li><b>Network errors and {@code 5xx}:</b> exponential backoff with full jitter (after the
 *       AWS architecture blog's "Exponential Backoff And Jitter"): before retry {@code n}
 *       (1-based) the wait is uniform in {@code [0, min(cap, base * 2^(n-1))]}. With the default base
 *       of 500 ms and cap of 60 s the ceiling reaches the cap at the 8th retry and stays there; the
 *       mean wait then is 30 s, so a client of a server that is down for an hour tries about 120
 *       times, and many clients coming back at once do not arrive in lock step. There is no limit
 *       on the number of attempts: a sync never gives up on an outage.</li>
 *   <li><b>{@code Retry-After}</b> (on a {@code 429}, or a {@code 503}): the wait is at least what
 *       the server asked; on a {@code 429} exactly that, since the server said when it will admit,
 *       on a {@code 503} the larger of that and the backoff.</li>
 *   <li>A success resets the attempt count.</li>
 * </ul>
 *
 * Not thread-safe: one policy per sync worker.
 */
public final class RetryPolicy {
    /** Default first ceiling: 500 ms. */
    public static final long DEFAULT_BASE_NANOS = 500_000_000L;
    /** Default cap of a backoff wait: 60 s. */
    public static final long DEFAULT_CAP_NANOS = 60_000_000_000L;

    private final long baseNanos;
    private final long capNanos;
    private final SplittableRandom random;
    private int failures;

    public RetryPolicy(final long baseNanos, final long capNanos, final long seed) {
        if (baseNanos <= 0 || capNanos < baseNanos) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + baseNanos + " ns, cap "
                + capNanos + " ns");
        }
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
        this.random = new SplittableRandom(seed);
    }

    /** Failures since the last success. */
    public int failures() {
        return failures;
    }

    /** The ceiling of the wait before retry {@code n} (1-based): {@code min(cap, base * 2^(n-1))}. */
    public long ceilingNanos(final int retry) {
        final int shift = Math.max(0, retry - 1);
        if (shift >= 62 || baseNanos > (capNanos >> Math.min(shift, 62))) {
            return capNanos;
        }
        return Math.min(capNanos, baseNanos << shift);
    }

    /**
     * A network error or {@code 5xx}: counts a failure and answers the wait before the next
     * attempt, uniform in {@code [0, ceiling]}, and at least {@code retryAfterNanos} if the server
     * sent one (else pass a negative value).
     */
    public long onFailure(final long retryAfterNanos) {
        if (failures < Integer.MAX_VALUE) {
            failures++;
        }
        final long ceiling = ceilingNanos(failures);
        final long jittered = ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
        return Math.max(jittered, Math.max(0, retryAfterNanos));
    }

    /**
     * A {@code 429}: the wait is the server's {@code Retry-After}, exactly (a throttled client is
     * not failing, so the backoff count does not grow). Without one (a server outside this
     * protocol), the backoff applies.
     */
    public long onThrottled(final long retryAfterNanos) {
        if (retryAfterNanos >= 0) {
            return retryAfterNanos;
        }
        return onFailure(-1);
    }

    /** A request succeeded: the next failure starts from the base again. */
    public void onSuccess() {
        failures = 0;
    }
}
