package io.runlog;

import io.runlog.limit.KeyLimits;
import io.runlog.limit.RollingWindow;
import org.agrona.concurrent.EpochClock;

import java.util.EnumMap;
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
    private final ConcurrentHashMap<String, KeyLimits> keys = new ConcurrentHashMap<>();
    private final long idleMillis;
    private volatile int sweepAt = 1024;

    public IngestionGate(final RateLimits limits, final EpochClock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        final long now = clock.time();
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

    private KeyLimits state(final String apiKey, final long now) {
        if (apiKey == null) {
            throw new InvalidNameException("API key is null");
        }
        final KeyLimits existing = keys.get(apiKey);
        if (existing != null) {
            return existing;
        }
        if (apiKey.isEmpty()) {
            throw new InvalidNameException("API key is empty");
        }
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
