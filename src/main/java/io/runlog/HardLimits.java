package io.runlog;

import java.util.Objects;

/**
 * Hard limits: writes beyond them are rejected with {@link HardLimitException}, whether or not
 * the experiment is offline (rate limits do not apply offline; hard limits do). Defaults are
 * those of the product brief; {@link #UNLIMITED} lifts one. Counts are recovered from the store
 * when it reopens, never reset, and two threads racing for the last free slot cannot both win
 * (the check and the write happen under the experiment's lock, or the project's for
 * experiments).
 */
public final class HardLimits {
    /** A limit that never rejects. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private long experimentsPerProject = 25_000;
    private long promptsPerProject = 250_000;
    private long uniqueMetrics = 50_000;
    private long uniqueParameters = 50_000;
    private long images = 100_000;
    private long curves = 1_000;
    private long models = 100;
    private long textSamples = 500;
    private long videos = 5_000;
    private long assets = UNLIMITED;

    public HardLimits() {
    }

    private HardLimits(final HardLimits o) {
        experimentsPerProject = o.experimentsPerProject;
        promptsPerProject = o.promptsPerProject;
        uniqueMetrics = o.uniqueMetrics;
        uniqueParameters = o.uniqueParameters;
        images = o.images;
        curves = o.curves;
        models = o.models;
        textSamples = o.textSamples;
        videos = o.videos;
        assets = o.assets;
    }

    public HardLimits copy() {
        return new HardLimits(this);
    }

    /** Experiments per experiment-management project (default 25,000). */
    public HardLimits experimentsPerProject(final long n) {
        experimentsPerProject = check("experimentsPerProject", n);
        return this;
    }

    public long experimentsPerProject() {
        return experimentsPerProject;
    }

    /** Prompts per LLM project, over all its experiments (default 250,000). */
    public HardLimits promptsPerProject(final long n) {
        promptsPerProject = check("promptsPerProject", n);
        return this;
    }

    public long promptsPerProject() {
        return promptsPerProject;
    }

    /** Unique metric names per experiment (default 50,000). */
    public HardLimits uniqueMetrics(final long n) {
        uniqueMetrics = check("uniqueMetrics", n);
        return this;
    }

    public long uniqueMetrics() {
        return uniqueMetrics;
    }

    /** Unique parameter names per experiment (default 50,000). */
    public HardLimits uniqueParameters(final long n) {
        uniqueParameters = check("uniqueParameters", n);
        return this;
    }

    public long uniqueParameters() {
        return uniqueParameters;
    }

    /**
     * Items of one type per experiment. Defaults: images 100,000, curves 1,000, models 100, text
     * samples 500, videos 5,000, assets unlimited.
     */
    public HardLimits items(final ItemType type, final long n) {
        Objects.requireNonNull(type, "type");
        final long v = check(name(type), n);
        switch (type) {
            case IMAGE -> images = v;
            case CURVE -> curves = v;
            case MODEL -> models = v;
            case TEXT_SAMPLE -> textSamples = v;
            case VIDEO -> videos = v;
            case ASSET -> assets = v;
            default -> throw new IllegalArgumentException("unknown item type " + type);
        }
        return this;
    }

    public long items(final ItemType type) {
        return switch (type) {
            case IMAGE -> images;
            case CURVE -> curves;
            case MODEL -> models;
            case TEXT_SAMPLE -> textSamples;
            case VIDEO -> videos;
            case ASSET -> assets;
        };
    }

    /** The name of an item type's limit in {@link HardLimitException#limitName()}. */
    public static String name(final ItemType type) {
        return switch (type) {
            case IMAGE -> "images";
            case CURVE -> "curves";
            case MODEL -> "models";
            case TEXT_SAMPLE -> "textSamples";
            case VIDEO -> "videos";
            case ASSET -> "assets";
        };
    }

    private static long check(final String what, final long n) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + n);
        }
        return n;
    }
}
