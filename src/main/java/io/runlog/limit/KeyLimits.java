package io.runlog.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rate-limit state of one API key: a {@link RollingWindow} per data type (null: unlimited)
 * and one for submissions, plus what eviction needs. Internal to {@code IngestionGate}.
 *
 * <p>Eviction safety: callers {@link #enter} before using the windows and {@link #exit} after;
 * the gate may {@link #retireIfIdle retire} a state only while nobody is inside and its windows
 * have all emptied, so a caller that finds it retired can start afresh with a new, empty state
 * and no admitted unit is ever forgotten.
 */
public final class KeyLimits {
    private static final VarHandle USERS;
    private static final int RETIRED = -1;

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(KeyLimits.class, "users", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RollingWindow[] perType;
    private final RollingWindow submissions;
    private volatile int users;
    private volatile long lastUsedMillis;

    public KeyLimits(final RollingWindow[] perType, final RollingWindow submissions, final long nowMillis) {
        this.perType = perType;
        this.submissions = submissions;
        this.lastUsedMillis = nowMillis;
    }

    /** Registers a user; false if this state was retired (the caller must get a new one). */
    public boolean enter(final long nowMillis) {
        int u;
        do {
            u = users;
            if (u == RETIRED) {
                return false;
            }
        } while (!USERS.compareAndSet(this, u, u + 1));
        // written at most once a second: eviction needs hours of precision, not a store per call
        if (nowMillis - lastUsedMillis >= 1_000) {
            lastUsedMillis = nowMillis;
        }
        return true;
    }

    public void exit() {
        USERS.getAndAdd(this, -1);
    }

    /** The window of a data type's ordinal, or null if that type is unlimited. */
    public RollingWindow window(final int typeOrdinal) {
        return perType[typeOrdinal];
    }

    /** The submissions window, or null if unlimited. */
    public RollingWindow submissions() {
        return submissions;
    }

    /** Retires the state if unused since {@code idleBeforeMillis} and nobody is inside. */
    public boolean retireIfIdle(final long idleBeforeMillis) {
        return lastUsedMillis < idleBeforeMillis && USERS.compareAndSet(this, 0, RETIRED);
    }
}
