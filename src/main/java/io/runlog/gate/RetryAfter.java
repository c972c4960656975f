package io.runlog.gate;

import io.runlog.InvalidValueException;

/**
 * The HTTP {@code Retry-After} value of a gate's answer. The gate answers with an absolute
 * epoch millisecond (the earliest time a retry can be admitted); the header wants a delay in
 * whole seconds (RFC 9110, section 10.2.3). Rounding <em>up</em> keeps it honest: a client that
 * waits the advertised seconds is never early.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Whole seconds from {@code nowMillis} to {@code retryAtMillis}, rounded up, at least 1: the
     * {@code Retry-After} of a refused request. 0 if {@code retryAtMillis} is 0 (admitted: no
     * header). A retry time already reached gives 1 (the header's smallest useful delay).
     *
     * @throws InvalidValueException if {@code retryAtMillis} is {@link Admission#NEVER} (more
     *         units than the limit: no wait helps, the request must be split) or negative
     */
    public static long seconds(final long retryAtMillis, final long nowMillis) {
        if (retryAtMillis == Admission.NEVER) {
            throw new InvalidValueException("the request is larger than the limit and is never admitted: split it"
                + " (no Retry-After applies)");
        }
        if (retryAtMillis < 0) {
            throw new InvalidValueException("retry time must be 0 or an epoch millisecond, got " + retryAtMillis);
        }
        if (retryAtMillis == 0) {
            return 0;
        }
        final long delta = retryAtMillis - nowMillis;
        return delta <= 0 ? 1 : Math.max(1, (delta + 999) / 1000);
    }
}
