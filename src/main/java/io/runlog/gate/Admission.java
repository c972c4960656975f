package io.runlog.gate;

import java.util.EnumMap;
import java.util.Map;

/**
 * The gate's answer to a submission, type by type: each {@link DataType} is admitted or throttled
 * on its own, and a throttled one says when a retry can succeed.
 *
 * @param retryAt per data type: 0 if its units were admitted (or none were asked for), else the
 *                earliest epoch millisecond at which the same units can be admitted
 *                ({@link Long#MAX_VALUE}: more units than the limit, never)
 * @param submissionRetryAt 0 if the submission was counted, else when the submissions-per-hour
 *                limit frees up (every type is then throttled with this time)
 */
public record Admission(Map<DataType, Long> retryAt, long submissionRetryAt) {
    public Admission {
        retryAt = Map.copyOf(retryAt);
    }

    /** True if every type asked for was admitted. */
    public boolean fullyAdmitted() {
        return submissionRetryAt == 0 && retryAt.values().stream().allMatch(t -> t == 0);
    }

    public boolean admitted(final DataType type) {
        return submissionRetryAt == 0 && retryAt.getOrDefault(type, 0L) == 0;
    }

    /** The earliest time a retry of everything throttled can succeed (0 if nothing was). */
    public long retryAfterMillis() {
        long latest = submissionRetryAt;
        for (final long t : retryAt.values()) {
            latest = Math.max(latest, t);
        }
        return latest;
    }

    static Admission of(final EnumMap<DataType, Long> retryAt, final long submissionRetryAt) {
        return new Admission(retryAt, submissionRetryAt);
    }
}
