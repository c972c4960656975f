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
 *   <li>Entries of the other types (parameter values, output lines, items and prompts): the same,
 *       from their own policies ({@code parameters}, {@code output}, {@code other}), so a backlog of
 *       many small entries never makes a segment the limit cannot admit.</li>
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
    /** Entries (parameter values, output lines, items and prompts) per segment of the other types, as for points. */
    long maxEntries = Long.MAX_VALUE;
    long shrunkEntries = Long.MAX_VALUE;

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
        final long entries = Math.min(maxEntries, shrunkEntries);
        if (entries != Long.MAX_VALUE) {
            o.maxEntries(Math.max(1, entries));
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
            long units = Long.MAX_VALUE;
            final boolean quotaKnown = p.quota() > 0;
            if (quotaKnown) {
                units = p.quota();
            }
            if (p.remaining() > 0) {
                units = Math.min(units, p.remaining());
            }
            if (type == DataType.METRICS) {
                maxPoints = units;
                if (quotaKnown) {
                    shrunkPoints = Long.MAX_VALUE;   // the quota is known: a segment of it is admissible
                }
            } else {
                maxEntries = units;
                if (quotaKnown) {
                    shrunkEntries = Long.MAX_VALUE;
                }
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
     * The server refused a segment as too large ({@code 413}): {@code segment-too-large} names the
     * type's rate limit ({@code limitValue}), which becomes the units per segment;
     * {@code body-too-large} (or a limit not named) halves the bytes and the units.
     *
     * @return false if it is already as small as it can be
     */
    boolean shrink(final long unitsSent, final long limitValue, final boolean bodyTooLarge) {
        if (!bodyTooLarge && limitValue > 0 && limitValue < unitsSent) {
            // segment-too-large names the type's limit: segments of exactly that many units are admitted
            if (type == DataType.METRICS) {
                maxPoints = limitValue;
            } else {
                maxEntries = limitValue;
            }
            return true;
        }
        boolean shrunk = false;
        if (bodyTooLarge && limitValue >= IncrementOptions.MIN_BYTES && limitValue < maxBytes / 2) {
            maxBytes = limitValue; // the server's body limit: segments of at most that many bytes are taken
            return true;
        }
        if (maxBytes > IncrementOptions.MIN_BYTES) {
            maxBytes = Math.max(IncrementOptions.MIN_BYTES, maxBytes / 2);
            shrunk = true;
        }
        if (unitsSent > 1) {
            if (type == DataType.METRICS) {
                shrunkPoints = Math.max(1, unitsSent / 2);
            } else {
                shrunkEntries = Math.max(1, unitsSent / 2);
            }
            shrunk = true;
        }
        return shrunk;
    }
}
