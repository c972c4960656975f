package io.runlog;

import io.runlog.gate.ThrottleListener;
import io.runlog.sync.RetryPolicy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Sync} reaches its server and paces itself. The server URL and API key are
 * required; everything else has a default. Setters return {@code this}; not thread-safe (a
 * {@link Sync} copies what it needs when it starts).
 */
public final class SyncOptions {
    /** Default largest segment: 4 MiB. */
    public static final long DEFAULT_MAX_SEGMENT_BYTES = 4L << 20;

    private final URI server;
    private final String apiKey;
    private SyncClock clock = SyncClock.SYSTEM;
    private SyncSleeper sleeper = SyncSleeper.SYSTEM;
    private ThrottleListener throttleListener;
    private Path markDirectory;
    private long backoffBaseNanos = RetryPolicy.DEFAULT_BASE_NANOS;
    private long backoffCapNanos = RetryPolicy.DEFAULT_CAP_NANOS;
    private long seed = System.nanoTime();
    private long maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES;
    private Duration pollInterval = Duration.ofMillis(200);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(120);
    private String project;
    private String experiment;
    private boolean follow = true;

    /**
     * @param server the sync server's base URL ({@code http://host:port} or {@code https://...})
     * @param apiKey the API key (sent as {@code Authorization: Bearer}; never printed)
     * @throws InvalidValueException for a URL that is not http(s) with a host, or an empty key
     */
    public SyncOptions(final URI server, final String apiKey) {
        if (server == null || server.getScheme() == null || !(server.getScheme().equals("http")
            || server.getScheme().equals("https")) || server.getHost() == null) {
            throw new InvalidValueException("sync server must be an http:// or https:// URL with a host, got " + server);
        }
        if (apiKey == null || apiKey.isBlank() || apiKey.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new InvalidValueException("API key must be non-empty printable ASCII without spaces");
        }
        this.server = server;
        this.apiKey = apiKey.strip();
    }

    /** The clock backoff, {@code Retry-After} and status are measured with (tests inject one). */
    public SyncOptions clock(final SyncClock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    /** How the sync waits (tests inject one that advances a simulated clock). */
    public SyncOptions sleeper(final SyncSleeper s) {
        this.sleeper = Objects.requireNonNull(s, "sleeper");
        return this;
    }

    /** Told once per throttling episode the server announces ({@code 429}), per experiment and type. */
    public SyncOptions throttleListener(final ThrottleListener l) {
        this.throttleListener = l;
        return this;
    }

    /**
     * Where the client keeps its acknowledged marks; default {@code <store>/sync-client}, a
     * directory no store writer touches.
     */
    public SyncOptions markDirectory(final Path dir) {
        this.markDirectory = dir;
        return this;
    }

    /** Backoff after network errors and {@code 5xx}: first ceiling and cap (defaults 500 ms and 60 s). */
    public SyncOptions backoff(final Duration base, final Duration cap) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new InvalidValueException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
        }
        this.backoffBaseNanos = base.toNanos();
        this.backoffCapNanos = cap.toNanos();
        return this;
    }

    /** Seed of the backoff's jitter (default: the time). */
    public SyncOptions seed(final long s) {
        this.seed = s;
        return this;
    }

    /** Largest segment body, in bytes (at least 4096; default 4 MiB): the sync's memory bound. */
    public SyncOptions maxSegmentBytes(final long bytes) {
        if (bytes < IncrementOptions.MIN_BYTES || bytes > (1L << 30)) {
            throw new InvalidValueException("maxSegmentBytes must be in [" + IncrementOptions.MIN_BYTES + ", 2^30], got "
                + bytes);
        }
        this.maxSegmentBytes = bytes;
        return this;
    }

    /** How often an idle sync looks for new data (default 200 ms). */
    public SyncOptions pollInterval(final Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new InvalidValueException("poll interval must be positive, got " + d);
        }
        this.pollInterval = d;
        return this;
    }

    public SyncOptions connectTimeout(final Duration d) {
        this.connectTimeout = Objects.requireNonNull(d);
        return this;
    }

    /** How long one request may take once connected (default 120 s); a timeout is retried. */
    public SyncOptions requestTimeout(final Duration d) {
        this.requestTimeout = Objects.requireNonNull(d);
        return this;
    }

    /**
     * Ship only this project's experiments (default, or null: every project of the store).
     *
     * @throws InvalidNameException if {@code p} breaks the naming rules (it could name no project)
     */
    public SyncOptions project(final String p) {
        this.project = p == null ? null : io.runlog.internal.Names.checkKey("project name", p);
        return this;
    }

    /**
     * Ship only experiments of this key (default, or null: every experiment).
     *
     * @throws InvalidNameException if {@code key} breaks the naming rules (it could name no experiment)
     */
    public SyncOptions experiment(final String key) {
        this.experiment = key == null ? null : io.runlog.internal.Names.checkKey("experiment key", key);
        return this;
    }

    /**
     * True (default): keep running and ship what is logged later; false: stop once everything
     * the store held was acknowledged ({@code runlog sync} without {@code --follow}).
     */
    public SyncOptions follow(final boolean f) {
        this.follow = f;
        return this;
    }

    public URI server() {
        return server;
    }

    /** The API key (internal use: the transport). */
    String apiKey() {
        return apiKey;
    }

    public SyncClock clock() {
        return clock;
    }

    public SyncSleeper sleeper() {
        return sleeper;
    }

    public ThrottleListener throttleListener() {
        return throttleListener;
    }

    public Path markDirectory() {
        return markDirectory;
    }

    public long backoffBaseNanos() {
        return backoffBaseNanos;
    }

    public long backoffCapNanos() {
        return backoffCapNanos;
    }

    public long seed() {
        return seed;
    }

    public long maxSegmentBytes() {
        return maxSegmentBytes;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public String project() {
        return project;
    }

    public String experiment() {
        return experiment;
    }

    public boolean follow() {
        return follow;
    }
}
