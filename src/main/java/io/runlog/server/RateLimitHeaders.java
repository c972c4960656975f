package io.runlog.server;

import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.Quota;
import io.runlog.gate.RateLimits;

import java.util.Locale;

/**
 * Internal: the rate-limit headers of draft-ietf-httpapi-ratelimit-headers (docs/sync.md):
 * {@code RateLimit-Policy} lists each limited type's quota and window, {@code RateLimit} what is
 * left of each (the gate's {@link Quota}) and when, and {@code Retry-After} the whole seconds (rounded up)
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

    /**
     * {@code RateLimit} now for an API key: per limited item {@code r}, the units a request may
     * still take ({@link Quota#remaining()}), and {@code t}, the seconds until a retry of a refused
     * type can succeed ({@code refused}'s time) or else until the whole quota is free again
     * ({@link Quota#resetSeconds()}); null if nothing is limited.
     */
    static String current(final IngestionGate gate, final String apiKey, final Admission refused, final long now) {
        final StringBuilder b = new StringBuilder();
        for (final DataType t : DataType.values()) {
            final Quota q = gate.quota(apiKey, t);
            if (q.unlimited()) {
                continue;
            }
            final long at = refused == null ? 0 : refused.retryAt().getOrDefault(t, 0L);
            final long seconds = at != 0 && at != Admission.NEVER ? seconds(at, now) : q.resetSeconds();
            sep(b).append('"').append(item(t)).append("\";r=").append(q.remaining()).append(";t=").append(seconds);
        }
        final Quota s = gate.submissionQuota(apiKey);
        if (!s.unlimited()) {
            final long at = refused == null ? 0 : refused.submissionRetryAt();
            sep(b).append("\"submissions\";r=").append(s.remaining()).append(";t=")
                .append(at != 0 ? seconds(at, now) : s.resetSeconds());
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static StringBuilder sep(final StringBuilder b) {
        return b.length() == 0 ? b : b.append(", ");
    }
}
