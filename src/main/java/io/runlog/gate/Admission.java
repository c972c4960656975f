package io.runlog.gate;

import io.runlog.limit.RollingWindow;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The gate's answer to a submission, type by type: each {@link DataType} is admitted or refused
 * on its own, and a throttled one says when a retry can succeed.
 *
 * <p><b>Honest retry times.</b> A throttled type's time is the earliest epoch millisecond at
 * which the same units, sent again as a submission of their own, are admitted if nothing else
 * is: it is the later of the type's own window freeing enough and the submissions-per-hour
 * window freeing one submission (counted after this one). A retry then is admitted; one a
 * millisecond earlier is not.
 *
 * <p><b>What counts.</b> A submission takes one submissions-per-hour slot only if at least one
 * of its types was admitted; the units of a refused type are not counted. So a refused
 * attempt, and a client retrying at the advertised time, spends nothing.
 *
 * @param retryAt           per data type asked for: 0 if its units were admitted, else the
 *                          earliest epoch millisecond at which they can be, or {@link #NEVER}:
 *                          more units than the type's whole limit ({@link #tooLarge}), never
 * @param submissionRetryAt 0 if the submissions-per-hour limit had room for this submission,
 *                          else when it frees up (every type is then throttled, no later than
 *                          its own time)
 * @param counted           whether this submission took a submissions-per-hour slot (at least
 *                          one type was admitted)
 * @param decidedAtMillis   the gate's clock when it decided: the base of {@link #retryAfterSeconds()}
 */
public record Admission(Map<DataType, Long> retryAt, long submissionRetryAt, boolean counted, long decidedAtMillis) {
    /**
     * The retry time of units that exceed their type's whole limit: no wait helps, the client
     * must split them ({@code Long.MAX_VALUE}).
     */
    public static final long NEVER = RollingWindow.NEVER;

    public Admission {
        retryAt = Map.copyOf(retryAt);
    }

    /** True if every type asked for was admitted. */
    public boolean fullyAdmitted() {
        return submissionRetryAt == 0 && retryAt.values().stream().allMatch(t -> t == 0);
    }

    /** True if the type was asked for and admitted, or not asked for. */
    public boolean admitted(final DataType type) {
        return retryAt.getOrDefault(type, 0L) == 0;
    }

    /** True if the type's units were refused for now and can be retried ({@link #retryAt} is finite). */
    public boolean throttled(final DataType type) {
        final long t = retryAt.getOrDefault(type, 0L);
        return t != 0 && t != NEVER;
    }

    /** True if the type's units exceed its whole limit: never admitted as they are, split them. */
    public boolean tooLarge(final DataType type) {
        return retryAt.getOrDefault(type, 0L) == NEVER;
    }

    /** The types whose units exceed their whole limit (empty if none). */
    public Set<DataType> tooLarge() {
        final EnumSet<DataType> s = EnumSet.noneOf(DataType.class);
        retryAt.forEach((type, t) -> {
            if (t == NEVER) {
                s.add(type);
            }
        });
        return s;
    }

    /**
     * The earliest epoch millisecond at which every throttled type can be retried with success
     * (0 if none was throttled). Too-large types are left out: no time helps them.
     */
    public long retryAfterMillis() {
        long latest = 0;
        for (final long t : retryAt.values()) {
            if (t != NEVER) {
                latest = Math.max(latest, t);
            }
        }
        return latest;
    }

    /**
     * The HTTP {@code Retry-After} in whole seconds from {@code nowMillis} (rounded up, at least 1
     * when something was throttled; 0 when nothing was): see {@link RetryAfter#seconds}.
     */
    public long retryAfterSeconds(final long nowMillis) {
        return RetryAfter.seconds(retryAfterMillis(), nowMillis);
    }

    /** {@link #retryAfterSeconds(long)} from the moment the gate decided. */
    public long retryAfterSeconds() {
        return retryAfterSeconds(decidedAtMillis);
    }

    static Admission of(final EnumMap<DataType, Long> retryAt, final long submissionRetryAt, final boolean counted,
                        final long now) {
        return new Admission(retryAt, submissionRetryAt, counted, now);
    }
}
