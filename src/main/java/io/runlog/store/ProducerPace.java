package io.runlog.store;

import java.util.concurrent.TimeUnit;

/**
 * The {@link Drainer}'s view of whether one ring's producers outpace the drain, from what each
 * of its looks sees: how often the producers drained the full ring themselves, the ring's tail
 * and fill, and whether the drainer drained it since the last look.
 *
 * <p>The producers outpace the drain when, as the looks see it, any of these holds:
 * <ul>
 *   <li>one drained the full ring itself within {@link #WINDOW_NANOS} before now;</li>
 *   <li>they claimed at least {@link #SATURATED_POINTS_PER_SECOND} over the last
 *       {@link #RATE_WINDOW_NANOS} or more (a fast drain keeps saturated producers' rings under
 *       half full, and then only their rate tells);</li>
 *   <li>they claimed more since the last look and, within {@link #WINDOW_NANOS}, a look found the
 *       ring at least half full right after the drainer had drained it. A ring left half full by
 *       producers that stopped does not count, so the drainer takes it; nor, once the window is
 *       over, does a ring kept half full only because the drainer stood aside from it: its
 *       producers may have slowed to a trickle.</li>
 * </ul>
 *
 * <p>Owned by one {@link ExperimentEngine} and used by the drainer thread alone: not thread-safe.
 */
final class ProducerPace {
    /** How long a producer's own drain, or a half-full ring right after a drain, still counts. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Shortest span a claim rate is measured over. */
    static final long RATE_WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /**
     * A claim rate this high is a saturated producer's: one logging flat out and draining for
     * itself makes 35 to 40 million points a second on this project's 2-core VM, about 27 million
     * while sharing the cores with a second one and the drainer; a producer at this rate or less
     * leaves room on the cores for the drainer, which then spares it the drain.
     */
    static final double SATURATED_POINTS_PER_SECOND = 20e6;

    /** The producers' own drains when the drainer last looked, and when it last saw them change. */
    private long producerDrainsSeen;
    private final Sighting producerDrain = new Sighting();
    /** The ring's tail when the drainer last looked. */
    private long tailSeen;
    /** The current rate window: when it started, the tail then; whether the last window's rate was saturated. */
    private long rateSince;
    private long rateTail;
    private boolean rateStarted;
    private boolean fast;
    /** Whether the drainer drained (or tried to) since its last look; true before the first look. */
    private boolean drainedSinceLook = true;
    /** When a look last found the ring at least half full right after a drain. */
    private final Sighting halfFullAfterDrain = new Sighting();

    /** The drainer is about to drain the ring. */
    void draining() {
        drainedSinceLook = true;
    }

    /**
     * One look at {@code now}: whether the producers outpace the drain.
     *
     * @param hasRing       whether the experiment has a ring (no metric logged yet, or closed: no)
     * @param tail          the ring's tail (0 without a ring)
     * @param halfFull      whether the ring holds at least half its capacity
     * @param producerDrains how many times producers have drained the full ring themselves
     */
    boolean look(final long now, final boolean hasRing, final long tail, final boolean halfFull, final long producerDrains) {
        final boolean claimed = tail != tailSeen;
        tailSeen = tail;
        if (!rateStarted) {
            rateStarted = true;
            rateSince = now;
            rateTail = tail;
        } else if (now - rateSince >= RATE_WINDOW_NANOS) {
            fast = (double) (tail - rateTail) * 1e9 >= SATURATED_POINTS_PER_SECOND * (double) (now - rateSince);
            rateSince = now;
            rateTail = tail;
        }
        final boolean drained = drainedSinceLook;
        drainedSinceLook = false;
        if (producerDrains != producerDrainsSeen) {
            producerDrainsSeen = producerDrains;
            producerDrain.see(now);
            return true;
        }
        if (producerDrain.within(now) || fast) {
            return true;
        }
        if (!claimed || !hasRing) {
            return false;
        }
        if (drained && halfFull) {
            halfFullAfterDrain.see(now);
            return true;
        }
        return halfFullAfterDrain.within(now);
    }

    /** When something was last seen, and whether it was seen at all. */
    private static final class Sighting {
        private long at;
        private boolean seen;

        void see(final long now) {
            at = now;
            seen = true;
        }

        boolean within(final long now) {
            return seen && now - at < WINDOW_NANOS;
        }
    }
}
