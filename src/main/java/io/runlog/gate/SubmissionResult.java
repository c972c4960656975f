package io.runlog.gate;

import io.runlog.HardLimitException;
import io.runlog.RunlogException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a {@link Submission}: how many entries were stored, and exactly which were not,
 * each with its reason, so the caller can keep them and retry ({@link #rejectedSubmission()}).
 * Nothing rejected was stored; nothing is dropped without being listed here.
 *
 * <p>For an HTTP server: if {@link #tooLarge()} is not empty, answer {@code 413} (or {@code 400})
 * and tell the client to split those entries, no wait helps; otherwise, if something was
 * throttled, answer {@code 429} with {@code Retry-After: }{@link #retryAfterSeconds()}.
 *
 * @param accepted        entries stored
 * @param rejections      entries not stored, in submission order
 * @param retryAt         per throttled data type, the earliest epoch ms at which its entries,
 *                        sent again as a submission, are admitted if nothing else is; admitted
 *                        and too-large types are absent
 * @param tooLarge        data types with more entries than their whole per-minute limit
 *                        ({@link Reason#TOO_LARGE}): never admitted as they are
 * @param decidedAtMillis the gate's clock when it decided (the base of {@link #retryAfterSeconds()})
 */
public record SubmissionResult(int accepted, List<Rejection> rejections, Map<DataType, Long> retryAt,
                               Set<DataType> tooLarge, long decidedAtMillis) {
    public SubmissionResult {
        rejections = List.copyOf(rejections);
        final EnumMap<DataType, Long> copy = new EnumMap<>(DataType.class);
        copy.putAll(retryAt);
        retryAt = Collections.unmodifiableMap(copy);
        final EnumSet<DataType> large = EnumSet.noneOf(DataType.class);
        large.addAll(tooLarge);
        tooLarge = Collections.unmodifiableSet(large);
    }

    /** A result with nothing too large, decided at time 0 (kept for callers of the first version). */
    public SubmissionResult(final int accepted, final List<Rejection> rejections, final Map<DataType, Long> retryAt) {
        this(accepted, rejections, retryAt, Set.of(), 0);
    }

    /** Why an entry was not stored. */
    public enum Reason {
        /** Its data type was over the API key's rate limit: retry at {@link Rejection#retryAtMillis()}. */
        THROTTLED,
        /**
         * Its data type carried more entries than the type's whole per-minute limit: never
         * admitted as it is, however long the client waits; split it into submissions of at most
         * the limit ({@link Rejection#retryAtMillis()} is {@link Admission#NEVER}). Counts nothing
         * and raises no throttle warning.
         */
        TOO_LARGE,
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
     * @param retryAtMillis for {@link Reason#THROTTLED}: when a retry can succeed; for
     *                      {@link Reason#TOO_LARGE}: {@link Admission#NEVER}; else 0
     * @param error         for {@link Reason#HARD_LIMIT} and {@link Reason#FAILED}: the error; else null
     */
    public record Rejection(Submission.Entry entry, Reason reason, long retryAtMillis, RunlogException error) {
    }

    /** True if every entry was stored. */
    public boolean fullyAccepted() {
        return rejections.isEmpty();
    }

    /** True if the gate throttled this data type (a retry at {@link #retryAt} can succeed). */
    public boolean throttled(final DataType type) {
        return retryAt.containsKey(type);
    }

    /** True if this data type's entries exceed its whole limit: split them. */
    public boolean tooLarge(final DataType type) {
        return tooLarge.contains(type);
    }

    /**
     * The earliest epoch ms at which every throttled entry can be retried with success (0 if none
     * was throttled). An absolute time: for the HTTP header use {@link #retryAfterSeconds()}.
     */
    public long retryAfterMillis() {
        long latest = 0;
        for (final long t : retryAt.values()) {
            latest = Math.max(latest, t);
        }
        return latest;
    }

    /**
     * The HTTP {@code Retry-After} delay in whole seconds from {@code nowMillis}: rounded up, at
     * least 1 if anything was throttled, 0 if nothing was ({@link RetryAfter#seconds}).
     */
    public long retryAfterSeconds(final long nowMillis) {
        return RetryAfter.seconds(retryAfterMillis(), nowMillis);
    }

    /** {@link #retryAfterSeconds(long)} from the moment the gate decided. */
    public long retryAfterSeconds() {
        return retryAfterSeconds(decidedAtMillis);
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
