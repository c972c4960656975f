package io.runlog;

import io.runlog.gate.DataType;

import java.util.EnumSet;
import java.util.Set;

/**
 * Limits of one increment ({@link Experiment#exportIncrement}): at most {@link #maxBytes} bytes
 * (a guide the exporter keeps by ending the increment before a block that would cross it; an
 * item travels whole with its payload, so an increment that starts with a large item may be
 * larger), at most {@link #maxPoints} metric points, at most {@link #maxEntries} other entries
 * (parameter values, output lines, items and prompts together), and only the streams of the
 * {@link #types data types} asked for (metric points: {@link DataType#METRICS}; parameter values:
 * {@link DataType#PARAMETERS}; output lines: {@link DataType#OUTPUT}; items and prompts:
 * {@link DataType#OTHER}). The sync client keeps one segment per data type, so that a throttled
 * type never holds back another. Defaults: 8 MiB, no point or entry limit, every
 * type. Setters return
 * {@code this}; not thread-safe.
 */
public final class IncrementOptions {
    /** The smallest {@link #maxBytes(long)}: room for the header blocks and one small block of data. */
    public static final long MIN_BYTES = 4096;

    private long maxBytes = 8L << 20;
    private long maxPoints = Long.MAX_VALUE;
    private long maxEntries = Long.MAX_VALUE;
    private EnumSet<DataType> types = EnumSet.allOf(DataType.class);

    public IncrementOptions() {
    }

    /** At most this many bytes ({@link #MIN_BYTES} or more). */
    public IncrementOptions maxBytes(final long bytes) {
        if (bytes < MIN_BYTES) {
            throw new InvalidValueException("maxBytes must be at least " + MIN_BYTES + ", got " + bytes);
        }
        this.maxBytes = bytes;
        return this;
    }

    /** At most this many metric points (1 or more). */
    public IncrementOptions maxPoints(final long points) {
        if (points < 1) {
            throw new InvalidValueException("maxPoints must be positive, got " + points);
        }
        this.maxPoints = points;
        return this;
    }

    /**
     * At most this many entries that are not metric points (1 or more): parameter values, output
     * lines, items and prompts, counted together. A server's rate limit counts them per type
     * ({@code PARAMETERS}, {@code OUTPUT}, {@code OTHER}), so a segment of one type with at most
     * the limit's entries can always be admitted, however small the entries are.
     */
    public IncrementOptions maxEntries(final long entries) {
        if (entries < 1) {
            throw new InvalidValueException("maxEntries must be positive, got " + entries);
        }
        this.maxEntries = entries;
        return this;
    }

    /** Only the streams of these data types (at least one). */
    public IncrementOptions types(final Set<DataType> only) {
        if (only == null || only.isEmpty()) {
            throw new InvalidValueException("an increment needs at least one data type");
        }
        this.types = EnumSet.copyOf(only);
        return this;
    }

    /** Only the streams of one data type. */
    public IncrementOptions only(final DataType type) {
        if (type == null) {
            throw new InvalidValueException("data type is null");
        }
        this.types = EnumSet.of(type);
        return this;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long maxPoints() {
        return maxPoints;
    }

    public long maxEntries() {
        return maxEntries;
    }

    /** The data types asked for (a copy). */
    public Set<DataType> types() {
        return EnumSet.copyOf(types);
    }

    /** True if the increment takes the streams of {@code type}. */
    public boolean includes(final DataType type) {
        return types.contains(type);
    }
}
