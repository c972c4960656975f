package io.runlog.gate;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits of the ingestion gate, per API key: units per minute for each {@link DataType}
 * (defaults: metrics 12,000, parameters 10,000, output 12,000, everything else 8,000) and
 * submissions per hour (default 15,000). {@link #UNLIMITED} lifts one.
 */
public final class RateLimits {
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final Map<DataType, Long> perMinute = new EnumMap<>(DataType.class);
    private long submissionsPerHour = 15_000;

    public RateLimits() {
        perMinute.put(DataType.METRICS, 12_000L);
        perMinute.put(DataType.PARAMETERS, 10_000L);
        perMinute.put(DataType.OUTPUT, 12_000L);
        perMinute.put(DataType.OTHER, 8_000L);
    }

    public RateLimits perMinute(final DataType type, final long units) {
        perMinute.put(Objects.requireNonNull(type, "type"), check("per-minute limit of " + type, units));
        return this;
    }

    public long perMinute(final DataType type) {
        return perMinute.get(type);
    }

    public RateLimits submissionsPerHour(final long submissions) {
        submissionsPerHour = check("submissions per hour", submissions);
        return this;
    }

    public long submissionsPerHour() {
        return submissionsPerHour;
    }

    private static long check(final String what, final long n) {
        if (n != UNLIMITED && (n < 1 || n > io.runlog.limit.RollingWindow.MAX_LIMIT)) {
            throw new IllegalArgumentException(what + " must be 1 to " + io.runlog.limit.RollingWindow.MAX_LIMIT
                + " or UNLIMITED, got " + n);
        }
        return n;
    }
}
