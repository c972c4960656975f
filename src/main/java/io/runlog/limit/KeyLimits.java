package io.runlog.limit;

/**
 * The rate-limit state of one API key: a {@link RollingWindow} per data type (null: unlimited)
 * and one for submissions. Internal to {@code IngestionGate}.
 *
 * <p><b>Eviction without a handshake.</b> The acquire path costs no extra atomic operation for
 * eviction's sake: the evictor {@link #retire retires} a state whose windows look empty, then the
 * state is replaced in the gate's map by its {@link #successor} (a copy of its windows, or nothing
 * if they are really empty). A caller checks {@link #isRetired} after its admission (one volatile
 * read); if the state was retired it takes its units back and starts again from the map, helping
 * to replace the state if the evictor has not yet. Why no admitted unit is ever forgotten: a
 * caller that read "not retired" made its CAS before the evictor set the flag (volatile accesses
 * are totally ordered), so the successor, copied after the flag was set, counts its units; a
 * caller that reads "retired" takes its units back. Units taken back after the copy still count in
 * the successor: under-admission for at most a window, never over-admission. A state made after
 * an eviction refuses requests timed before that eviction ({@link #notBeforeMillis}).
 */
public final class KeyLimits {
    private final RollingWindow[] perType;
    private final RollingWindow submissions;
    private final long notBeforeMillis;
    private volatile boolean retired;

    /**
     * @param notBeforeMillis requests with an earlier time are refused: the time of the last
     *                        eviction before this state was made. An evicted state was empty at
     *                        its eviction time, but units it held may still count for a thread
     *                        whose clock reading is older (descheduled between reading the clock
     *                        and asking); a fresh state cannot know them.
     */
    public KeyLimits(final RollingWindow[] perType, final RollingWindow submissions, final long notBeforeMillis) {
        this.perType = perType;
        this.submissions = submissions;
        this.notBeforeMillis = notBeforeMillis;
    }

    /** Answer of {@link #decide} when this state was retired: the units were taken back; resolve the key again. */
    public static final long RETIRED = -1;

    /**
     * Decides a request of {@code units} on one of this state's windows at {@code nowMillis}: the
     * window's answer (0 or the retry time), the eviction time for a clock reading older than it,
     * or {@link #RETIRED} if the state was retired meanwhile (its units were taken back where the
     * window still could; the state is being discarded either way).
     */
    public long decide(final RollingWindow window, final long nowMillis, final int units) {
        if (nowMillis < notBeforeMillis) {
            return notBeforeMillis; // a stale clock reading, older than an eviction
        }
        final long retryAt = window.tryAcquire(nowMillis, units);
        if (retryAt != 0 || !retired) {
            return retryAt;
        }
        window.release(nowMillis, units); // admitted into a state being evicted: take back
        return RETIRED;
    }

    /** Requests timed before this are refused (with this as their retry time). */
    public long notBeforeMillis() {
        return notBeforeMillis;
    }

    /** The window of a data type's ordinal, or null if that type is unlimited. */
    public RollingWindow window(final int typeOrdinal) {
        return perType[typeOrdinal];
    }

    /** The submissions window, or null if unlimited. */
    public RollingWindow submissions() {
        return submissions;
    }

    public boolean isRetired() {
        return retired;
    }

    /** Marks this state as leaving the map: callers that see it retired go back to the map. */
    public void retire() {
        retired = true;
    }

    /** True if every window is empty at {@code nowMillis}: dropping the state forgets nothing. */
    public boolean isEmptyAt(final long nowMillis) {
        if (submissions != null && !submissions.isEmptyAt(nowMillis)) {
            return false;
        }
        for (final RollingWindow w : perType) {
            if (w != null && !w.isEmptyAt(nowMillis)) {
                return false;
            }
        }
        return true;
    }

    /** After {@link #retire}: a new, live state counting at least what this one counts. */
    public KeyLimits successor() {
        final RollingWindow[] copies = new RollingWindow[perType.length];
        for (int i = 0; i < perType.length; i++) {
            copies[i] = perType[i] == null ? null : perType[i].copy();
        }
        return new KeyLimits(copies, submissions == null ? null : submissions.copy(), notBeforeMillis);
    }
}
