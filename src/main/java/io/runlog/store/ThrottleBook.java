package io.runlog.store;

import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;

import java.util.EnumMap;

/**
 * An experiment's throttle warning flag in memory (rebuilt from THROTTLE_WARNING records when the
 * experiment opens) and its throttling episodes. Guarded by the experiment lock, except
 * {@link #episodeOpen}, which the admission path reads without it. Internal to the store.
 *
 * <p>An episode of a data type begins with a throttled submission when none is open, or when the
 * last throttle of that type is {@link #EPISODE_GAP_MILLIS} old (the client went away and came
 * back); it ends when a submission of that type is admitted later than the last throttle. Episodes are not persisted: after a
 * restart the next throttle begins a new one.
 */
final class ThrottleBook {
    /** A throttle this long after the previous one of its type begins a new episode. */
    static final long EPISODE_GAP_MILLIS = 60_000;
    private static final DataType[] TYPES = DataType.values();

    private final ThrottleWarning.Throttled[] byType = new ThrottleWarning.Throttled[TYPES.length];
    /** Bit per DataType ordinal: an episode is open. Written under the lock, read without. */
    private volatile int openEpisodes;

    /** The state after one more throttled submission of {@code units} of {@code type} at {@code now}. */
    ThrottleWarning.Throttled afterThrottle(final DataType type, final long now, final long units) {
        final ThrottleWarning.Throttled t = byType[type.ordinal()];
        final boolean newEpisode = t == null || !episodeOpen(type) || now - t.lastMillis() >= EPISODE_GAP_MILLIS;
        if (t == null) {
            return new ThrottleWarning.Throttled(type, now, now, units, 1, 1);
        }
        return new ThrottleWarning.Throttled(type, Math.min(t.firstMillis(), now), Math.max(t.lastMillis(), now),
            saturatedAdd(t.units(), units), saturatedAdd(t.submissions(), 1),
            newEpisode ? saturatedAdd(t.episodes(), 1) : t.episodes());
    }

    /** Applies a state that was persisted (or recovered); true if it began an episode. */
    boolean apply(final ThrottleWarning.Throttled next, final boolean live) {
        final ThrottleWarning.Throttled previous = byType[next.type().ordinal()];
        byType[next.type().ordinal()] = next;
        final boolean began = previous == null || next.episodes() > previous.episodes();
        if (live) {
            openEpisodes |= 1 << next.type().ordinal();
        }
        return began;
    }

    boolean episodeOpen(final DataType type) {
        return (openEpisodes & (1 << type.ordinal())) != 0;
    }

    /**
     * Ends the open episode of a type: a submission of it was admitted at {@code nowMillis}. An
     * admission decided no later than the episode's last throttle (a thread that raced the
     * throttled one) does not end it.
     */
    void endEpisode(final DataType type, final long nowMillis) {
        final ThrottleWarning.Throttled t = byType[type.ordinal()];
        if (t == null || nowMillis > t.lastMillis()) {
            openEpisodes &= ~(1 << type.ordinal());
        }
    }

    ThrottleWarning.Throttled get(final DataType type) {
        return byType[type.ordinal()];
    }

    /**
     * The state after merging {@code other} (an imported flag): earliest first, latest last, and
     * the larger of each count, so merging the same flag twice changes nothing.
     */
    static ThrottleWarning.Throttled merge(final ThrottleWarning.Throttled mine, final ThrottleWarning.Throttled other) {
        if (mine == null) {
            return other;
        }
        return new ThrottleWarning.Throttled(mine.type(), Math.min(mine.firstMillis(), other.firstMillis()),
            Math.max(mine.lastMillis(), other.lastMillis()), Math.max(mine.units(), other.units()),
            Math.max(mine.submissions(), other.submissions()), Math.max(mine.episodes(), other.episodes()));
    }

    ThrottleWarning warning() {
        final EnumMap<DataType, ThrottleWarning.Throttled> map = new EnumMap<>(DataType.class);
        for (final ThrottleWarning.Throttled t : byType) {
            if (t != null) {
                map.put(t.type(), t);
            }
        }
        return map.isEmpty() ? ThrottleWarning.NONE : new ThrottleWarning(map);
    }

    private static long saturatedAdd(final long a, final long b) {
        final long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }
}
