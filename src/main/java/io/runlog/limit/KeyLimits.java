package io.runlog.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rate-limit state of one API key: a {@link RollingWindow} per data type (null: unlimited)
 * and one for submissions, each made on its first use. Internal to {@code IngestionGate}.
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
    private static final VarHandle WINDOWS = MethodHandles.arrayElementVarHandle(RollingWindow[].class);

    /**
     * Per data type ordinal, then the submissions window last: the window's shape (null:
     * unlimited), shared by every key of the gate.
     */
    private final WindowShape[] shapes;
    /** The windows made so far, indexed like {@link #shapes}: a window is made on first use. */
    private final RollingWindow[] windows;
    private final long notBeforeMillis;
    private volatile boolean retired;

    /**
     * A state whose windows are made on first use ({@link #windowFor}), so a key pays only for
     * the limits it meets (a key that sends only metrics holds one window).
     *
     * @param shapes          per data type ordinal, then submissions last; null for an unlimited
     *                        one; shared, never modified
     * @param notBeforeMillis requests with an earlier time are refused: the time of the last
     *                        eviction before this state was made. An evicted state was empty at
     *                        its eviction time, but units it held may still count for a thread
     *                        whose clock reading is older (descheduled between reading the clock
     *                        and asking); a fresh state cannot know them.
     */
    public KeyLimits(final WindowShape[] shapes, final long notBeforeMillis) {
        this(shapes, new RollingWindow[shapes.length], notBeforeMillis);
    }

    /** A state with these windows already made (null: unlimited); the submissions window last. */
    public KeyLimits(final RollingWindow[] perType, final RollingWindow submissions, final long notBeforeMillis) {
        this(shapesOf(perType, submissions), windowsOf(perType, submissions), notBeforeMillis);
    }

    private KeyLimits(final WindowShape[] shapes, final RollingWindow[] windows, final long notBeforeMillis) {
        this.shapes = shapes;
        this.windows = windows;
        this.notBeforeMillis = notBeforeMillis;
    }

    private static RollingWindow[] windowsOf(final RollingWindow[] perType, final RollingWindow submissions) {
        final RollingWindow[] all = java.util.Arrays.copyOf(perType, perType.length + 1);
        all[perType.length] = submissions;
        return all;
    }

    private static WindowShape[] shapesOf(final RollingWindow[] perType, final RollingWindow submissions) {
        final RollingWindow[] all = windowsOf(perType, submissions);
        final WindowShape[] shapes = new WindowShape[all.length];
        for (int i = 0; i < all.length; i++) {
            shapes[i] = all[i] == null ? null : all[i].shape();
        }
        return shapes;
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

    /** The window of a data type's ordinal if it was made, else null (unlimited, or not used yet). */
    public RollingWindow window(final int typeOrdinal) {
        return (RollingWindow) WINDOWS.getVolatile(windows, typeOrdinal);
    }

    /**
     * The window of a data type's ordinal, made now if this is its first use; null only if the
     * type is unlimited. Racing first uses agree on one window (a CAS installs it). A window
     * installed in a state being retired is handled like any admission into it: the caller reads
     * {@link #isRetired} after its CAS on the window, and the successor, copied after the flag
     * was set, reads the installed window (volatile) with everything admitted before.
     */
    public RollingWindow windowFor(final int typeOrdinal) {
        final RollingWindow w = (RollingWindow) WINDOWS.getAcquire(windows, typeOrdinal);
        if (w != null || shapes[typeOrdinal] == null) {
            return w;
        }
        final RollingWindow made = new RollingWindow(shapes[typeOrdinal]);
        final RollingWindow seen = (RollingWindow) WINDOWS.compareAndExchange(windows, typeOrdinal, null, made);
        return seen == null ? made : seen;
    }

    /** True if the data type of this ordinal has no limit. */
    public boolean unlimited(final int typeOrdinal) {
        return shapes[typeOrdinal] == null;
    }

    /** The submissions window if it was made, else null (unlimited, or not used yet). */
    public RollingWindow submissions() {
        return window(shapes.length - 1);
    }

    /** The submissions window, made now if need be; null only if submissions are unlimited. */
    public RollingWindow submissionsFor() {
        return windowFor(shapes.length - 1);
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
        for (int i = 0; i < windows.length; i++) {
            final RollingWindow w = window(i);
            if (w != null && !w.isEmptyAt(nowMillis)) {
                return false;
            }
        }
        return true;
    }

    /** After {@link #retire}: a new, live state counting at least what this one counts (windows never made stay unmade). */
    public KeyLimits successor() {
        final RollingWindow[] copies = new RollingWindow[windows.length];
        for (int i = 0; i < windows.length; i++) {
            final RollingWindow w = window(i);
            copies[i] = w == null ? null : w.copy();
        }
        return new KeyLimits(shapes, copies, notBeforeMillis);
    }
}
