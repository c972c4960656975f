package io.runlog.gate;

import io.runlog.HardLimitException;
import io.runlog.RunlogException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link Submission}: how many entries were stored, and exactly which were not,
 * each with its reason, so the caller can keep them and retry ({@link #rejectedSubmission()}).
 * Nothing rejected was stored; nothing is dropped without being listed here.
 *
 * @param accepted   entries stored
 * @param rejections entries not stored, in submission order
 * @param retryAt    per throttled data type, the earliest epoch ms at which a retry can succeed
 *                   ({@link Long#MAX_VALUE}: more units than the limit, never); admitted types are
 *                   absent
 */
public record SubmissionResult(int accepted, List<Rejection> rejections, Map<DataType, Long> retryAt) {
    public SubmissionResult {
        rejections = List.copyOf(rejections);
        final EnumMap<DataType, Long> copy = new EnumMap<>(DataType.class);
        copy.putAll(retryAt);
        retryAt = java.util.Collections.unmodifiableMap(copy);
    }

    /** Why an entry was not stored. */
    public enum Reason {
        /** Its data type was over the API key's rate limit: retry at {@link Rejection#retryAtMillis()}. */
        THROTTLED,
        /** It would exceed a hard limit ({@link Rejection#error()} is the {@link HardLimitException}). */
        HARD_LIMIT,
        /** Writing it failed (for example the disk is full); {@link Rejection#error()} says why. */
        FAILED
    }

    /**
     * An entry that was not stored.
     *
     * @param entry         the entry, as submitted
     * @param reason        why
     * @param retryAtMillis for {@link Reason#THROTTLED}: when a retry can succeed; else 0
     * @param error         for {@link Reason#HARD_LIMIT} and {@link Reason#FAILED}: the error; else null
     */
    public record Rejection(Submission.Entry entry, Reason reason, long retryAtMillis, RunlogException error) {
    }

    /** True if every entry was stored. */
    public boolean fullyAccepted() {
        return rejections.isEmpty();
    }

    /** True if the gate throttled this data type. */
    public boolean throttled(final DataType type) {
        return retryAt.containsKey(type);
    }

    /**
     * The earliest epoch ms at which every throttled entry can be retried with success (0 if none
     * was throttled): the value for an HTTP {@code Retry-After}.
     */
    public long retryAfterMillis() {
        long latest = 0;
        for (final long t : retryAt.values()) {
            latest = Math.max(latest, t);
        }
        return latest;
    }

    /** A new submission holding exactly the rejected entries, in order, to keep and retry. */
    public Submission rejectedSubmission() {
        final Submission s = new Submission();
        for (final Rejection r : rejections) {
            s.add(r.entry());
        }
        return s;
    }
}
