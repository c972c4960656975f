package io.runlog.server;

import io.runlog.gate.RateLimits;

/**
 * How a {@link SyncHandler} serves: the largest segment body ({@link #maxBodyBytes}, default
 * 64 MiB; a larger {@code Content-Length} is refused with 413 before the body is read), the rate
 * limits for online experiments ({@link #rateLimits}, default none), the default and largest
 * sample size of {@code /sampled} (15,000), and the idle timeout {@link SyncServer} sets on its
 * connectors (30 s). Setters return {@code this}.
 */
public final class ServerOptions {
    private long maxBodyBytes = 64L << 20;
    private RateLimits rateLimits = new RateLimits();
    private int defaultSampleMax = 15_000;
    private long idleTimeoutMillis = 30_000;

    public ServerOptions maxBodyBytes(final long bytes) {
        this.maxBodyBytes = bytes;
        return this;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public ServerOptions rateLimits(final RateLimits limits) {
        this.rateLimits = limits;
        return this;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    public ServerOptions defaultSampleMax(final int max) {
        this.defaultSampleMax = max;
        return this;
    }

    public int defaultSampleMax() {
        return defaultSampleMax;
    }

    public ServerOptions idleTimeoutMillis(final long millis) {
        this.idleTimeoutMillis = millis;
        return this;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }
}
