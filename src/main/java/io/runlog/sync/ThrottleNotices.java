package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleListener;
import io.runlog.gate.ThrottleNotice;
import io.runlog.internal.GateAccess;

import java.util.EnumMap;
import java.util.Map;

/**
 * Internal: the client's side of a {@code 429}. The server throttled one segment, which holds one
 * data type; that begins an episode unless the type is already in one (an episode ends when a
 * segment of the type is accepted, or after {@link #EPISODE_GAP_MILLIS} without a refusal, as in
 * the server's gate). Each episode is told once to the {@link ThrottleListener}, and each refusal is
 * counted into the experiment's persistent warning flag ({@link Experiment#throttleWarning()}) when
 * the sync runs inside the process that writes the experiment; a sync that follows a store read-only
 * only tells the listener (the server's flag records the episode either way).
 *
 * <p>Called by the one sync worker thread; not thread-safe.
 */
public final class ThrottleNotices {
    /** A type not refused for this long starts a new episode at its next refusal. */
    public static final long EPISODE_GAP_MILLIS = 60_000;

    private final String keyId;
    private final ThrottleListener listener;
    private final Map<DataType, Long> lastRefusal = new EnumMap<>(DataType.class);
    private long episodes;
    private long listenerFailures;

    /**
     * @param keyId    how notices name the API key (a fingerprint: the key itself is never passed on)
     * @param listener told once per episode; may be null
     */
    public ThrottleNotices(final String keyId, final ThrottleListener listener) {
        this.keyId = keyId;
        this.listener = listener;
    }

    /**
     * A segment of {@code type} carrying {@code units} was refused with {@code 429}.
     *
     * @param writable the experiment, if this process writes it (the flag is raised there), else null
     * @return true if this refusal began an episode (and the listener was told)
     */
    public boolean refused(final String project, final String experiment, final Experiment writable, final DataType type,
                           final long nowMillis, final long retryAtMillis, final long units) {
        final Long last = lastRefusal.get(type);
        boolean begins = last == null || nowMillis - last >= EPISODE_GAP_MILLIS;
        lastRefusal.put(type, nowMillis);
        if (writable != null && !writable.isClosed()) {
            try {
                GateAccess.get().recordThrottle(writable, type, nowMillis, units);
            } catch (final RuntimeException e) {
                // the experiment was closed under us, or its disk is full: the notice still goes out
            }
        }
        if (begins) {
            episodes++;
            if (listener != null) {
                try {
                    listener.onThrottle(new ThrottleNotice(keyId, project, experiment, type, nowMillis, retryAtMillis, units));
                } catch (final RuntimeException e) {
                    listenerFailures++;
                }
            }
        }
        return begins;
    }

    /** A segment of {@code type} was accepted: its episode, if any, ends. */
    public void accepted(final Experiment writable, final DataType type, final long nowMillis) {
        if (lastRefusal.remove(type) != null && writable != null && !writable.isClosed()) {
            try {
                GateAccess.get().throttleAdmitted(writable, type, nowMillis);
            } catch (final RuntimeException e) {
                // closed meanwhile: nothing to end
            }
        }
    }

    /** Episodes told so far. */
    public long episodes() {
        return episodes;
    }

    /** Exceptions the listener threw (ignored otherwise). */
    public long listenerFailures() {
        return listenerFailures;
    }
}
