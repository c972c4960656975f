package io.runlog;

import io.runlog.limit.KeyLimits;
import io.runlog.limit.RollingWindow;
import org.agrona.concurrent.EpochClock;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a tracking server puts in front of the store: per-API-key, per-data-type rate limits
 * ({@link RateLimits}), each a {@link RollingWindow}, so that no API key ever has more than the
 * limit admitted in any rolling minute (or hour, for submissions). Types are independent: one
 * being throttled never affects another, nor another key. Thread-safe and lock-free; an
 * existing key's {@link #tryAcquire} allocates nothing.
 *
 * <p>Memory: one small state per active API key; keys idle for longer than the longest window
 * are evicted (their windows are empty by then, so nothing is forgotten), automatically as the
 * key count grows and on {@link #evictIdle()}.
 */
public final class IngestionGate {
    private static final DataType[] TYPES = DataType.values();
    private static final int SUB_WINDOWS = 6;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    private final RateLimits limits;
    private final EpochClock clock;
    private final ThrottleListener listener;
    private final java.util.concurrent.atomic.AtomicLong listenerFailures = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentHashMap<String, KeyLimits> keys = new ConcurrentHashMap<>();
    private final long idleMillis;
    private volatile int sweepAt = 1024;

    public IngestionGate(final RateLimits limits, final EpochClock clock) {
        this(limits, clock, null);
    }

    /**
     * @param listener told once per throttling episode, experiment and type by
     *                 {@link #submit(String, Experiment, Submission)}; null for none
     */
    public IngestionGate(final RateLimits limits, final EpochClock clock, final ThrottleListener listener) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = listener;
        this.idleMillis = limits.submissionsPerHour() == RateLimits.UNLIMITED ? MINUTE * 2 : HOUR * 2;
    }

    /**
     * Tries to admit {@code units} of one data type for an API key (does not count a submission).
     *
     * @return 0 if admitted, else the earliest epoch millisecond at which a retry can succeed
     *         ({@link Long#MAX_VALUE} if {@code units} exceeds the limit)
     */
    public long tryAcquire(final String apiKey, final DataType type, final int units) {
        if (type == null) {
            throw new InvalidValueException("data type is null");
        }
        if (units <= 0) {
            throw new InvalidValueException("units must be positive, got " + units + " for " + type);
        }
        final long now = clock.time();
        while (true) {
            final KeyLimits key = state(apiKey, now);
            if (!key.enter(now)) {
                keys.remove(apiKey, key);
                continue;
            }
            try {
                final RollingWindow window = key.window(type.ordinal());
                return window == null ? 0 : window.tryAcquire(now, units);
            } finally {
                key.exit();
            }
        }
    }

    /**
     * Decides a submission: it counts one against the key's submissions per hour (if that is
     * exhausted, every type is throttled with its retry time), then each type's units against
     * that type's limit, independently. {@code units[t]} is the count for
     * {@code DataType.values()[t]}; zero asks nothing of that type.
     */
    public Admission submit(final String apiKey, final int... units) {
        if (units == null) {
            throw new InvalidValueException("units are null");
        }
        if (units.length != TYPES.length) {
            throw new InvalidValueException("units must have one count per DataType (" + TYPES.length + "), got "
                + units.length);
        }
        for (final DataType type : TYPES) {
            if (units[type.ordinal()] < 0) {
                throw new InvalidValueException("negative count " + units[type.ordinal()] + " for " + type);
            }
        }
        return decide(apiKey, units, clock.time());
    }

    private Admission decide(final String apiKey, final int[] units, final long now) {
        final EnumMap<DataType, Long> retryAt = new EnumMap<>(DataType.class);
        while (true) {
            final KeyLimits key = state(apiKey, now);
            if (!key.enter(now)) {
                keys.remove(apiKey, key);
                continue;
            }
            try {
                final RollingWindow submissions = key.submissions();
                final long submissionRetry = submissions == null ? 0 : submissions.tryAcquire(now, 1);
                for (final DataType type : TYPES) {
                    final int n = units[type.ordinal()];
                    if (n == 0) {
                        continue;
                    }
                    if (submissionRetry != 0) {
                        retryAt.put(type, submissionRetry);
                        continue;
                    }
                    final RollingWindow window = key.window(type.ordinal());
                    retryAt.put(type, window == null ? 0 : window.tryAcquire(now, n));
                }
                return Admission.of(retryAt, submissionRetry);
            } finally {
                key.exit();
            }
        }
    }

    /**
     * Decides a submission to an experiment and stores what is admitted. Each data type is
     * decided on its own, as {@link #submit(String, int...)} does with the submission's units
     * ({@link Submission#units}); the entries of admitted types are then written in submission
     * order, each subject to the hard limits. The answer lists exactly the entries not stored:
     * those of throttled types (with the retry time) and those a hard limit or a failure
     * rejected. Nothing throttled is stored.
     *
     * <p>For every throttled type the experiment's persistent {@link ThrottleWarning} is raised
     * and, once per throttling episode, the listener is told. Offline experiments are not rate
     * limited: everything goes straight to the hard limits and no submission is counted.
     *
     * @throws InvalidValueException if the submission holds prompts and the experiment is not of
     *         an LLM project (nothing is counted or stored)
     */
    public SubmissionResult submit(final String apiKey, final Experiment experiment, final Submission submission) {
        if (experiment == null) {
            throw new InvalidValueException("experiment is null");
        }
        if (submission == null) {
            throw new InvalidValueException("submission is null");
        }
        checkKey(apiKey);
        if (experiment.isClosed()) {
            throw experiment.closedException();
        }
        if (experiment.projectKind() != ProjectKind.LLM) {
            for (final Submission.Entry e : submission.entries()) {
                if (e instanceof Submission.PromptEntry) {
                    throw new InvalidValueException("project '" + experiment.projectName() + "' is an "
                        + experiment.projectKind() + " project; prompts go to experiments of LLM projects");
                }
            }
        }
        if (submission.isEmpty()) {
            return new SubmissionResult(0, List.of(), Map.of());
        }
        final long now = clock.time();
        final EnumMap<DataType, Long> throttled = new EnumMap<>(DataType.class);
        if (!experiment.isOffline()) {
            final Admission admission = decide(apiKey, submission.unitsByType(), now);
            for (final DataType type : TYPES) {
                final long retry = admission.retryAt().getOrDefault(type, 0L);
                if (retry != 0) {
                    throttled.put(type, retry);
                }
            }
        }
        final List<SubmissionResult.Rejection> rejections = new ArrayList<>();
        int accepted = 0;
        for (final Submission.Entry entry : submission.entries()) {
            final Long retry = throttled.get(entry.dataType());
            if (retry != null) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.THROTTLED, retry, null));
                continue;
            }
            try {
                experiment.write(entry);
                accepted++;
            } catch (final HardLimitException e) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.HARD_LIMIT, 0, e));
            } catch (final RunlogException e) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.FAILED, 0, e));
            }
        }
        for (final DataType type : TYPES) {
            if (submission.units(type) == 0) {
                continue;
            }
            final Long retry = throttled.get(type);
            if (retry == null) {
                experiment.throttleAdmitted(type);
            } else {
                raiseFlag(apiKey, experiment, type, now, retry, submission.units(type));
            }
        }
        return new SubmissionResult(accepted, rejections, throttled);
    }

    private void raiseFlag(final String apiKey, final Experiment experiment, final DataType type, final long now,
                           final long retryAt, final int units) {
        final boolean episodeBegins;
        try {
            episodeBegins = experiment.recordThrottle(type, now, units);
        } catch (final RunlogException e) {
            // The answer stands (nothing of the type was stored); only the flag could not be written.
            System.getLogger(IngestionGate.class.getName()).log(System.Logger.Level.WARNING,
                "cannot raise the throttle warning flag of " + experiment + ": " + e.getMessage());
            return;
        }
        if (episodeBegins && listener != null) {
            try {
                listener.onThrottle(new ThrottleNotice(apiKey, experiment.projectName(), experiment.key(), type, now,
                    retryAt, units));
            } catch (final RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
    }

    /** Exceptions the {@link ThrottleListener} threw (and the gate ignored). */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** Removes the state of every key idle for longer than the longest window; returns how many. */
    public int evictIdle() {
        final long idleBefore = clock.time() - idleMillis;
        int evicted = 0;
        for (final var entry : keys.entrySet()) {
            if (entry.getValue().retireIfIdle(idleBefore) && keys.remove(entry.getKey(), entry.getValue())) {
                evicted++;
            }
        }
        return evicted;
    }

    /** API keys with state (for tests and monitoring). */
    public int trackedKeys() {
        return keys.size();
    }

    private static void checkKey(final String apiKey) {
        if (apiKey == null) {
            throw new InvalidNameException("API key is null");
        }
        if (apiKey.isEmpty()) {
            throw new InvalidNameException("API key is empty");
        }
    }

    private KeyLimits state(final String apiKey, final long now) {
        if (apiKey == null) {
            throw new InvalidNameException("API key is null");
        }
        final KeyLimits existing = keys.get(apiKey);
        if (existing != null) {
            return existing;
        }
        checkKey(apiKey);
        final KeyLimits created = keys.computeIfAbsent(apiKey, k -> newState(now));
        if (keys.size() >= sweepAt) {
            evictIdle();
            sweepAt = Math.max(1024, keys.size() * 2);
        }
        return created;
    }

    private KeyLimits newState(final long now) {
        final RollingWindow[] perType = new RollingWindow[TYPES.length];
        for (final DataType type : TYPES) {
            final long limit = limits.perMinute(type);
            perType[type.ordinal()] = limit == RateLimits.UNLIMITED ? null : new RollingWindow(limit, MINUTE, SUB_WINDOWS, 0);
        }
        final long perHour = limits.submissionsPerHour();
        final RollingWindow submissions = perHour == RateLimits.UNLIMITED ? null
            : new RollingWindow(perHour, HOUR, SUB_WINDOWS, 0);
        return new KeyLimits(perType, submissions, now);
    }
}
