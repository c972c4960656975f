package io.runlog.server;

import io.runlog.InvalidValueException;
import io.runlog.gate.RateLimits;
import org.agrona.concurrent.EpochClock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link SyncHandler} serves: the largest segment body ({@link #maxBodyBytes}, default
 * 64 MiB; a larger {@code Content-Length} is refused with 413 before the body is read), the rate
 * limits for online experiments ({@link #rateLimits}, default {@link #unlimited()}), the default sample size of
 * {@code /sampled} (15,000), the idle timeout {@link SyncServer} sets on its connector (30 s: a
 * client that sends nothing for that long is cut off), the clock of the rate limits and of
 * Retry-After, and where bodies are spooled while they are verified (default: {@code sync-spool}
 * in the store's directory). Setters return {@code this}; not thread-safe (set before serving).
 */
public final class ServerOptions {
    private long maxBodyBytes = 64L << 20;
    private RateLimits rateLimits = unlimited();
    private int defaultSampleMax = 15_000;
    private long idleTimeoutMillis = 30_000;
    private EpochClock clock = System::currentTimeMillis;
    private Path spoolDirectory;
    private ImportProgress progress;

    /** Told after every block an import of an uploaded segment writes (monitoring; the crash tests use it). */
    public interface ImportProgress {
        void update(long pointsDone, long pointsTotal);
    }

    public ServerOptions importProgress(final ImportProgress listener) {
        this.progress = listener;
        return this;
    }

    /** The import listener, or null. */
    public ImportProgress importProgress() {
        return progress;
    }

    /** Rate limits that limit nothing (the default: a server sets the ones it wants). */
    public static RateLimits unlimited() {
        final RateLimits r = new RateLimits().submissionsPerHour(RateLimits.UNLIMITED);
        for (final io.runlog.gate.DataType t : io.runlog.gate.DataType.values()) {
            r.perMinute(t, RateLimits.UNLIMITED);
        }
        return r;
    }

    public ServerOptions maxBodyBytes(final long bytes) {
        if (bytes < 1024) {
            throw new InvalidValueException("maxBodyBytes must be at least 1024, got " + bytes);
        }
        this.maxBodyBytes = bytes;
        return this;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public ServerOptions rateLimits(final RateLimits limits) {
        this.rateLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    public ServerOptions defaultSampleMax(final int max) {
        if (max < 3) {
            throw new InvalidValueException("defaultSampleMax must be at least 3, got " + max);
        }
        this.defaultSampleMax = max;
        return this;
    }

    public int defaultSampleMax() {
        return defaultSampleMax;
    }

    public ServerOptions idleTimeoutMillis(final long millis) {
        if (millis < 1) {
            throw new InvalidValueException("idleTimeoutMillis must be positive, got " + millis);
        }
        this.idleTimeoutMillis = millis;
        return this;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /** The clock of the rate limits (the gate's) and of Retry-After. */
    public ServerOptions clock(final EpochClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public EpochClock clock() {
        return clock;
    }

    public ServerOptions spoolDirectory(final Path dir) {
        this.spoolDirectory = dir;
        return this;
    }

    /** Null: {@code sync-spool} in the store's directory. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }
}
