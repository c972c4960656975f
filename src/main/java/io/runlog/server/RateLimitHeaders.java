package io.runlog.server;

import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.RateLimits;

import java.util.Locale;

/**
 * Internal: the rate-limit headers of draft-ietf-httpapi-ratelimit-headers (docs/sync.md):
 * {@code RateLimit-Policy} lists each limited type's quota and window, {@code RateLimit} what is
 * left of the refused ones and when it is, and {@code Retry-After} the whole seconds (rounded up)
 * until a retry can succeed.
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    static String item(final DataType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    /** The policy, or null if nothing is limited. */
    static String policy(final RateLimits limits) {
        final StringBuilder b = new StringBuilder();
        for (final DataType t : DataType.values()) {
            if (limits.perMinute(t) != RateLimits.UNLIMITED) {
                sep(b).append('"').append(item(t)).append("\";q=").append(limits.perMinute(t)).append(";w=60");
            }
        }
        if (limits.submissionsPerHour() != RateLimits.UNLIMITED) {
            sep(b).append("\"submissions\";q=").append(limits.submissionsPerHour()).append(";w=3600");
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** Whole seconds from {@code now} to {@code at}, rounded up, at least 1. */
    static long seconds(final long at, final long now) {
        return Math.max(1, (at - now + 999) / 1000);
    }

    /** {@code RateLimit} for a refusal: r=0 and t for each refused item. */
    static String refused(final Admission a, final long now) {
        final StringBuilder b = new StringBuilder();
        for (final DataType t : DataType.values()) {
            final long at = a.retryAt().getOrDefault(t, 0L);
            if (at != 0 && at != Long.MAX_VALUE) {
                sep(b).append('"').append(item(t)).append("\";r=0;t=").append(seconds(at, now));
            }
        }
        if (a.submissionRetryAt() != 0) {
            sep(b).append("\"submissions\";r=0;t=").append(seconds(a.submissionRetryAt(), now));
        }
        return b.toString();
    }

    private static StringBuilder sep(final StringBuilder b) {
        return b.length() == 0 ? b : b.append(", ");
    }
}
