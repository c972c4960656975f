package io.runlog.sync;

import io.runlog.IncrementOptions;
import io.runlog.gate.DataType;

import java.util.Locale;

/**
 * Internal: how large the next segment of one data type may be, and until when it must wait,
 * learnt from the server's rate-limit headers (docs/sync.md "Rate-limit headers").
 *
 * <ul>
 *   <li>Bytes: at most the configured segment size; halved after a {@code 413} (down to
 *       {@link IncrementOptions#MIN_BYTES}).</li>
 *   <li>Metric points: at most what the server says is left ({@code r} of the type's policy) and
 *       never more than its quota ({@code q}: a segment over the quota could never be admitted);
 *       when nothing is left, the type waits {@code t} seconds instead of asking to be refused.
 *       So a harness that logs faster than its limit ships, window after window, exactly what
 *       the limit admits: the full allowed rate.</li>
 *   <li>{@code submissions} left 0: every type waits its {@code t}.</li>
 * </ul>
 * An offline experiment's answers carry no such headers: only the byte bound applies.
 */
final class SegmentBudget {
    private final DataType type;
    private final String policy;
    long maxBytes;
    long maxPoints = Long.MAX_VALUE;
    /** Points per segment learnt from 413s (the quota may be unknown). */
    long shrunkPoints = Long.MAX_VALUE;

    SegmentBudget(final DataType type, final long configuredBytes) {
        this.type = type;
        this.policy = type.name().toLowerCase(Locale.ROOT);
        this.maxBytes = configuredBytes;
    }

    DataType type() {
        return type;
    }

    /** The increment options of the next segment. */
    IncrementOptions options() {
        final IncrementOptions o = new IncrementOptions().only(type).maxBytes(maxBytes);
        final long points = Math.min(maxPoints, shrunkPoints);
        if (points != Long.MAX_VALUE) {
            o.maxPoints(Math.max(1, points));
        }
        return o;
    }

    /**
     * Reads a reply's headers.
     *
     * @return nanoseconds this type should wait before its next segment (0: none)
     */
    long learn(final RateLimitHeaders headers) {
        long wait = 0;
        final RateLimitHeaders.Policy p = headers.policy(policy);
        if (p != null) {
            if (type == DataType.METRICS) {
                long points = Long.MAX_VALUE;
                if (p.quota() > 0) {
                    points = p.quota();
                    shrunkPoints = Long.MAX_VALUE;   // the quota is known: a segment of it is admissible
                }
                if (p.remaining() > 0) {
                    points = Math.min(points, p.remaining());
                }
                maxPoints = points;
            }
            if (p.remaining() == 0 && p.resetSeconds() >= 0) {
                wait = Math.max(wait, Math.max(1, p.resetSeconds()) * 1_000_000_000L);
            }
        }
        final RateLimitHeaders.Policy s = headers.policy("submissions");
        if (s != null && s.remaining() == 0 && s.resetSeconds() >= 0) {
            wait = Math.max(wait, Math.max(1, s.resetSeconds()) * 1_000_000_000L);
        }
        return wait;
    }

    /**
     * The server refused a segment as too large ({@code 413}).
     *
     * @return false if it is already as small as it can be
     */
    boolean shrink(final long pointsSent, final long limitValue) {
        if (type == DataType.METRICS && limitValue > 0 && limitValue < pointsSent) {
            // segment-too-large names the type's limit: segments of exactly that many points are admitted
            maxPoints = limitValue;
            return true;
        }
        boolean shrunk = false;
        if (maxBytes > IncrementOptions.MIN_BYTES) {
            maxBytes = Math.max(IncrementOptions.MIN_BYTES, maxBytes / 2);
            shrunk = true;
        }
        if (pointsSent > 1) {
            shrunkPoints = Math.max(1, pointsSent / 2);
            shrunk = true;
        }
        return shrunk;
    }
}
