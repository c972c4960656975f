package io.runlog;

import io.runlog.internal.MarkJson;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How much of one source experiment a store holds: per metric the number of points, per
 * parameter name the number of values (its history), and the numbers of output lines, items and
 * prompts. Every one of these is an append-only <em>stream</em> of the source, so a count says
 * "the first n entries"; an increment ({@link Experiment#exportIncrement}) carries what comes
 * after a mark, and an importer answers the mark it holds afterwards
 * ({@link ImportResult#mark()}, {@link RunlogStore#highWaterMark}). See docs/sync.md.
 *
 * <p>Immutable and thread-safe. A stream the mark does not name has count 0. The source id
 * (32 lower-case hex digits, the archive format's "source id") is null for the mark of a store
 * that holds nothing of any source yet ({@link #EMPTY}). Counts of 0 are dropped: a mark names
 * only the streams it counts entries of, and two marks are equal when they count the same.
 *
 * <p>JSON ({@link #toJson()}, {@link #fromJson(String)}; the body of the sync protocol's mark):
 * <pre>{"source":"9f0c…","metrics":{"loss":1200},"parameters":{"lr":1},"output":5,"items":1,"prompts":0}</pre>
 * {@code source} may be null; the five other members are required; names are JSON strings,
 * counts non-negative integers; unknown members are ignored, so later versions may add some.
 */
public final class HighWaterMark {
    /** Nothing of any source. */
    public static final HighWaterMark EMPTY = new HighWaterMark(null, Map.of(), Map.of(), 0, 0, 0);

    private final String sourceId;
    private final Map<String, Long> metrics;
    private final Map<String, Long> parameters;
    private final long outputLines;
    private final long items;
    private final long prompts;

    /**
     * @param sourceId    the source experiment's id (32 lower-case hex digits), or null
     * @param metrics     points per metric name (copied; insertion order kept)
     * @param parameters  values per parameter name (copied; insertion order kept)
     * @throws InvalidValueException for a malformed source id or a negative count
     */
    public HighWaterMark(final String sourceId, final Map<String, Long> metrics, final Map<String, Long> parameters,
                         final long outputLines, final long items, final long prompts) {
        if (sourceId != null && !sourceId.matches("[0-9a-f]{32}")) {
            throw new InvalidValueException("source id must be 32 lower-case hex digits, got '" + sourceId + "'");
        }
        this.sourceId = sourceId;
        this.metrics = copy("metric", metrics);
        this.parameters = copy("parameter", parameters);
        this.outputLines = nonNegative("output lines", outputLines);
        this.items = nonNegative("items", items);
        this.prompts = nonNegative("prompts", prompts);
    }

    /** The empty mark of a source: nothing of it held yet. */
    public static HighWaterMark empty(final String sourceId) {
        return new HighWaterMark(Objects.requireNonNull(sourceId, "sourceId"), Map.of(), Map.of(), 0, 0, 0);
    }

    private static Map<String, Long> copy(final String what, final Map<String, Long> m) {
        final LinkedHashMap<String, Long> c = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> e : Objects.requireNonNull(m, what + " counts").entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidValueException(what + " counts hold a null name or count");
            }
            if (nonNegative(what + " '" + e.getKey() + "'", e.getValue()) > 0) {
                c.put(e.getKey(), e.getValue()); // a count of 0 is the same as none: marks compare by what they count
            }
        }
        return Collections.unmodifiableMap(c);
    }

    private static long nonNegative(final String what, final long n) {
        if (n < 0) {
            throw new InvalidValueException(what + " count must not be negative, got " + n);
        }
        return n;
    }

    /** The source experiment's id, or null. */
    public String sourceId() {
        return sourceId;
    }

    /** Points per metric name (unmodifiable, in the order given). */
    public Map<String, Long> metrics() {
        return metrics;
    }

    /** Points held of one metric (0 if the mark does not name it). */
    public long metricPoints(final String name) {
        return metrics.getOrDefault(name, 0L);
    }

    /** Values per parameter name (unmodifiable, in the order given). */
    public Map<String, Long> parameters() {
        return parameters;
    }

    /** Values held of one parameter (0 if the mark does not name it). */
    public long parameterValues(final String name) {
        return parameters.getOrDefault(name, 0L);
    }

    public long outputLines() {
        return outputLines;
    }

    public long items() {
        return items;
    }

    public long prompts() {
        return prompts;
    }

    /** Every metric point the mark counts. */
    public long points() {
        long n = 0;
        for (final long c : metrics.values()) {
            n += c;
        }
        return n;
    }

    /** Every parameter value, output line, item and prompt the mark counts. */
    public long entries() {
        long n = outputLines + items + prompts;
        for (final long c : parameters.values()) {
            n += c;
        }
        return n;
    }

    /** True if every stream of this mark is at least as far as {@code other}'s. */
    public boolean covers(final HighWaterMark other) {
        for (final Map.Entry<String, Long> e : other.metrics.entrySet()) {
            if (metricPoints(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        for (final Map.Entry<String, Long> e : other.parameters.entrySet()) {
            if (parameterValues(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return outputLines >= other.outputLines && items >= other.items && prompts >= other.prompts;
    }

    /** This mark as JSON (see the class comment); {@link #fromJson} reads it back equal. */
    public String toJson() {
        return MarkJson.write(this);
    }

    /**
     * Reads a mark's JSON (see the class comment).
     *
     * @throws InvalidValueException naming the offset and what was wrong
     */
    public static HighWaterMark fromJson(final String json) {
        return MarkJson.read(json);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HighWaterMark m && Objects.equals(sourceId, m.sourceId) && metrics.equals(m.metrics)
            && parameters.equals(m.parameters) && outputLines == m.outputLines && items == m.items
            && prompts == m.prompts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceId, metrics, parameters, outputLines, items, prompts);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
