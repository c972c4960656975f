package io.runlog.gate;

import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.internal.GateAccess;
import io.runlog.limit.KeyLimits;
import io.runlog.limit.RollingWindow;
import io.runlog.limit.WindowShape;
import org.agrona.concurrent.EpochClock;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a tracking server puts in front of the store: per-API-key, per-data-type rate limits
 * ({@link RateLimits}), each a {@link RollingWindow}, so that no API key ever has more than the
 * limit admitted in any rolling minute (or hour, for submissions). Types are independent: one
 * being throttled never affects another, nor another key. Thread-safe and lock-free; an
 * existing key's {@link #tryAcquire} allocates nothing.
 *
 * <p>Memory: one small state per active API key; a key whose windows have all emptied (nothing
 * it was admitted still counts) is evicted, automatically as the key count doubles and on
 * {@link #evictIdle()}, without a lock and without an extra atomic operation on the acquire path
 * (see {@link KeyLimits}).
 *
 * <p>Cost: a decision reads the clock once. Where the clock is slow (a virtual machine's
 * {@code currentTimeMillis} can cost 20 ns), pass an Agrona {@code CachedEpochClock} that the
 * server's event loop advances: the rolling-window guarantee holds for whatever times the clock
 * gives, and retry times are as precise as the clock.
 */
public final class IngestionGate {
    private static final DataType[] TYPES = DataType.values();
    /**
     * Sub-windows per window: 40 (1.5 s of a minute, 90 s of an hour). A unit counts for at most
     * one sub-window longer than it would in an exact sliding window, so steady over-demand gets
     * 40/41 = 97.6 % of the limit, and any steady demand up to 97.5 % of it is admitted whole
     * (docs/gate.md).
     */
    static final int SUB_WINDOWS = 40;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    private final RateLimits limits;
    private final EpochClock clock;
    private final ThrottleListener listener;
    /** Per data type (null: unlimited), shared by every key's window of that type. */
    private final WindowShape[] shapes = new WindowShape[TYPES.length];
    private final WindowShape submissionShape;
    /** {@link #shapes}, then {@link #submissionShape}: every key's state shares it. */
    private final WindowShape[] allShapes;
    private final java.util.concurrent.atomic.AtomicLong listenerFailures = new java.util.concurrent.atomic.AtomicLong();
    /** The latest time at which a key's state was evicted (see {@link KeyLimits#notBeforeMillis()}). */
    private final java.util.concurrent.atomic.AtomicLong lastEvictionMillis = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    private final ConcurrentHashMap<String, KeyLimits> keys = new ConcurrentHashMap<>();
    private volatile int sweepAt = 1024;

    /** A gate on the system clock ({@code System.currentTimeMillis()}). */
    public IngestionGate(final RateLimits limits) {
        this(limits, System::currentTimeMillis, null);
    }

    /** A gate on the system clock, with a listener (see {@link #IngestionGate(RateLimits, EpochClock, ThrottleListener)}). */
    public IngestionGate(final RateLimits limits, final ThrottleListener listener) {
        this(limits, System::currentTimeMillis, listener);
    }

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
        // sub-windows are counted from the gate's creation (any time not after the first request)
        final long origin = Math.max(0, clock.time());
        for (final DataType type : TYPES) {
            final long limit = limits.perMinute(type);
            shapes[type.ordinal()] = limit == RateLimits.UNLIMITED ? null : new WindowShape(limit, MINUTE, SUB_WINDOWS, origin);
        }
        final long perHour = limits.submissionsPerHour();
        submissionShape = perHour == RateLimits.UNLIMITED ? null : new WindowShape(perHour, HOUR, SUB_WINDOWS, origin);
        allShapes = java.util.Arrays.copyOf(shapes, TYPES.length + 1);
        allShapes[TYPES.length] = submissionShape;
    }

    /** The gate's clock (epoch milliseconds): the base for {@link RetryAfter#seconds}. */
    public long nowMillis() {
        return clock.time();
    }

    /**
     * Tries to admit {@code units} of one data type for an API key (does not count a submission).
     * A refusal counts nothing.
     *
     * @param units how many; 0 asks for nothing and is admitted at once (0 returned, nothing
     *              counted, no state made for the key), as a zero count is in {@link #submit(String, int...)}
     * @return 0 if admitted, else the earliest epoch millisecond at which the same request is
     *         admitted if nothing else is (a retry then succeeds, one a millisecond earlier does
     *         not), or {@link Admission#NEVER} if {@code units} exceeds the type's whole limit
     *         (split the request)
     * @throws InvalidValueException if {@code type} is null or {@code units} is negative
     * @throws InvalidNameException if {@code apiKey} is null or empty
     */
    public long tryAcquire(final String apiKey, final DataType type, final int units) {
        if (type == null) {
            throw new InvalidValueException("data type is null");
        }
        if (units < 0) {
            throw new InvalidValueException("units must be 0 or more, got " + units + " for " + type);
        }
        if (units == 0) {
            checkKey(apiKey);
            return 0;
        }
        final long now = clock.time();
        final int ordinal = type.ordinal();
        while (true) {
            final KeyLimits key = state(apiKey, now);
            final RollingWindow window = key.windowFor(ordinal);
            if (window == null) {
                return 0;
            }
            final long answer = key.decide(window, now, units);
            if (answer != KeyLimits.RETIRED) {
                return answer;
            }
            replaceRetired(apiKey, key, now);
        }
    }

    /**
     * A handle on one API key's limit for one data type, resolved once: its
     * {@link GateHandle#tryAcquire} skips the key lookup (like a {@link MetricHandle}).
     */
    public GateHandle handle(final String apiKey, final DataType type) {
        if (type == null) {
            throw new InvalidValueException("data type is null");
        }
        return new GateHandle(this, clock, apiKey, type, state(apiKey, clock.time()));
    }

    /** For a {@link GateHandle} whose state was retired: replaces it in the map if need be and returns the current one. */
    KeyLimits resolveAfterRetire(final String apiKey, final KeyLimits retired, final long now) {
        replaceRetired(apiKey, retired, now);
        return state(apiKey, now);
    }

    /**
     * Decides a submission: each type's units against that type's limit, independently, and the
     * submission against the key's submissions per hour. {@code units[t]} is the count for
     * {@code DataType.values()[t]}; zero asks nothing of that type.
     *
     * <ul>
     *   <li>The submission takes one submissions-per-hour slot only if at least one type is
     *       admitted: a refused attempt counts nothing (no slot, no units), so a client that
     *       retries at the advertised time does not use up its own quota. A submission asking
     *       nothing is admitted and not counted.</li>
     *   <li>If the submissions limit has no room, every type is throttled.</li>
     *   <li>A throttled type's retry time is the earliest at which its units, sent again as a
     *       submission of their own, are admitted if nothing else is: the later of its own
     *       window and the submissions window (after this submission) having room.</li>
     *   <li>More units than a type's whole limit: {@link Admission#NEVER} (never admitted,
     *       whatever the submissions limit says; split them).</li>
     * </ul>
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
        boolean asks = false;
        for (final DataType type : TYPES) {
            asks |= units[type.ordinal()] != 0;
        }
        if (!asks) {
            checkKey(apiKey);
            return Admission.of(retryAt, 0, false, now);
        }
        while (true) {
            retryAt.clear();
            final KeyLimits key = state(apiKey, now);
            final RollingWindow submissions = key.submissionsFor();
            if (now < key.notBeforeMillis()) { // a stale clock reading, older than an eviction: throttle all
                for (final DataType type : TYPES) {
                    final int n = units[type.ordinal()];
                    if (n != 0) {
                        final RollingWindow w = key.windowFor(type.ordinal());
                        retryAt.put(type, w != null && n > w.limit() ? Admission.NEVER : key.notBeforeMillis());
                    }
                }
                return Admission.of(retryAt, key.notBeforeMillis(), false, now);
            }
            final long submissionRetry = submissions == null ? 0 : submissions.tryAcquire(now, 1);
            boolean anyAdmitted = false;
            for (final DataType type : TYPES) {
                final int n = units[type.ordinal()];
                if (n == 0) {
                    continue;
                }
                final RollingWindow window = key.windowFor(type.ordinal());
                final long answer;
                if (submissionRetry != 0) {
                    // nothing is admitted: the type's own earliest time, no earlier than the submissions'
                    final long own = window == null ? 0 : window.peek(now, n);
                    answer = own == Admission.NEVER ? own : Math.max(own, submissionRetry);
                } else {
                    answer = window == null ? 0 : window.tryAcquire(now, n);
                    anyAdmitted |= answer == 0;
                }
                retryAt.put(type, answer);
            }
            final boolean counted = submissionRetry == 0 && submissions != null && anyAdmitted;
            if (submissionRetry == 0 && submissions != null && !anyAdmitted) {
                submissions.release(now, 1); // every type refused: the attempt counts nothing
            }
            if (key.isRetired()) {
                // admitted into a state being evicted: take every admitted unit back, start again
                if (counted) {
                    submissions.release(now, 1);
                }
                for (final var e : retryAt.entrySet()) {
                    final RollingWindow window = key.window(e.getKey().ordinal());
                    if (window != null && e.getValue() == 0) {
                        window.release(now, units[e.getKey().ordinal()]);
                    }
                }
                replaceRetired(apiKey, key, now);
                continue;
            }
            if (submissionRetry == 0 && submissions != null) {
                // a throttled type's retry is a submission of its own: it needs a slot then too
                long slot = -1;
                for (final var e : retryAt.entrySet()) {
                    final long t = e.getValue();
                    if (t != 0 && t != Admission.NEVER) {
                        if (slot < 0) {
                            slot = submissions.peek(now, 1);
                        }
                        e.setValue(Math.max(t, slot));
                    }
                }
            }
            return Admission.of(retryAt, submissionRetry, counted, now);
        }
    }

    /**
     * Replaces a retired state in the map by its successor (a copy of its windows), or removes it
     * if nothing counts any more. The evictor and callers that met the retired state may all
     * try; the first replacement wins, the others find the state gone.
     */
    private void replaceRetired(final String apiKey, final KeyLimits retired, final long now) {
        final KeyLimits next = retired.successor();
        if (next.isEmptyAt(now)) {
            evicting(now);
            keys.remove(apiKey, retired);
        } else {
            keys.replace(apiKey, retired, next);
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
            throw GateAccess.get().closedException(experiment);
        }
        if (experiment.projectKind() != ProjectKind.LLM) {
            for (final Submission.Entry e : submission.entries()) {
                if (e instanceof Submission.PromptEntry) {
                    throw new InvalidValueException("project '" + experiment.projectName() + "' is an "
                        + experiment.projectKind() + " project; prompts go to experiments of LLM projects");
                }
            }
        }
        final long now = clock.time();
        if (submission.isEmpty()) {
            return new SubmissionResult(0, List.of(), Map.of(), Set.of(), now);
        }
        final EnumMap<DataType, Long> throttled = new EnumMap<>(DataType.class);
        final EnumSet<DataType> tooLarge = EnumSet.noneOf(DataType.class);
        if (!experiment.isOffline()) {
            final Admission admission = decide(apiKey, submission.unitsByType(), now);
            for (final DataType type : TYPES) {
                final long retry = admission.retryAt().getOrDefault(type, 0L);
                if (retry == Admission.NEVER) {
                    tooLarge.add(type);
                } else if (retry != 0) {
                    throttled.put(type, retry);
                }
            }
        }
        final List<SubmissionResult.Rejection> rejections = new ArrayList<>();
        int accepted = 0;
        for (final Submission.Entry entry : submission.entries()) {
            if (tooLarge.contains(entry.dataType())) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.TOO_LARGE, Admission.NEVER, null));
                continue;
            }
            final Long retry = throttled.get(entry.dataType());
            if (retry != null) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.THROTTLED, retry, null));
                continue;
            }
            try {
                GateAccess.get().write(experiment, entry);
                accepted++;
            } catch (final HardLimitException e) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.HARD_LIMIT, 0, e));
            } catch (final RunlogException e) {
                rejections.add(new SubmissionResult.Rejection(entry, SubmissionResult.Reason.FAILED, 0, e));
            }
        }
        for (final DataType type : TYPES) {
            if (submission.units(type) == 0 || tooLarge.contains(type)) {
                continue; // a too-large type was neither admitted nor throttled: no episode, no flag
            }
            final Long retry = throttled.get(type);
            if (retry == null) {
                GateAccess.get().throttleAdmitted(experiment, type, now);
            } else {
                raiseFlag(apiKey, experiment, type, now, retry, submission.units(type));
            }
        }
        return new SubmissionResult(accepted, rejections, throttled, tooLarge, now);
    }

    private void raiseFlag(final String apiKey, final Experiment experiment, final DataType type, final long now,
                           final long retryAt, final int units) {
        final boolean episodeBegins;
        try {
            episodeBegins = GateAccess.get().recordThrottle(experiment, type, now, units);
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

    /** Raises the eviction time before a state leaves the map, so every state made after refuses older times. */
    private void evicting(final long now) {
        long seen;
        while ((seen = lastEvictionMillis.get()) < now && !lastEvictionMillis.compareAndSet(seen, now)) {
            Thread.onSpinWait();
        }
    }

    /**
     * The key's quota of one data type now, for the HTTP {@code RateLimit} headers: how many
     * units a request may still take, and when the whole limit is free again. Reads only:
     * counts nothing, makes no state for an unknown key (whose quota is the whole limit).
     *
     * @throws InvalidValueException if {@code type} is null
     * @throws InvalidNameException if {@code apiKey} is null or empty
     */
    public Quota quota(final String apiKey, final DataType type) {
        if (type == null) {
            throw new InvalidValueException("data type is null");
        }
        checkKey(apiKey);
        final KeyLimits state = keys.get(apiKey);
        return quotaOf(shapes[type.ordinal()] == null, state == null ? null : state.window(type.ordinal()),
            limits.perMinute(type), MINUTE);
    }

    /** {@link #quota} of the key's submissions per hour. */
    public Quota submissionQuota(final String apiKey) {
        checkKey(apiKey);
        final KeyLimits state = keys.get(apiKey);
        return quotaOf(submissionShape == null, state == null ? null : state.submissions(), limits.submissionsPerHour(), HOUR);
    }

    private Quota quotaOf(final boolean unlimited, final RollingWindow window, final long limit, final long windowMillis) {
        final long windowSeconds = windowMillis / 1000;
        if (unlimited) {
            return new Quota(RateLimits.UNLIMITED, RateLimits.UNLIMITED, 0, windowSeconds);
        }
        if (window == null) {
            return new Quota(limit, limit, 0, windowSeconds);
        }
        final long now = clock.time();
        final long freeAt = window.freeAtMillis(now);
        return new Quota(limit, limit - window.counted(now), freeAt == 0 ? 0 : RetryAfter.seconds(freeAt, now), windowSeconds);
    }

    /** Exceptions the {@link ThrottleListener} threw (and the gate ignored). */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /**
     * Removes the state of every key whose windows are all empty (nothing it admitted still
     * counts, so nothing is forgotten); returns how many. Lock-free: see {@link KeyLimits}.
     */
    public int evictIdle() {
        final long now = clock.time();
        int evicted = 0;
        for (final var entry : keys.entrySet()) {
            final KeyLimits state = entry.getValue();
            if (!state.isEmptyAt(now)) {
                continue;
            }
            state.retire();
            replaceRetired(entry.getKey(), state, now);
            if (!keys.containsKey(entry.getKey())) {
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
        final KeyLimits created = keys.computeIfAbsent(apiKey, k -> newState());
        if (keys.size() >= sweepAt) {
            evictIdle();
            sweepAt = Math.max(1024, keys.size() * 2);
        }
        return created;
    }

    private KeyLimits newState() {
        return new KeyLimits(allShapes, lastEvictionMillis.get());
    }
}
