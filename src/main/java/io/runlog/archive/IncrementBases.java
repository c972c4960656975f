package io.runlog.archive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal: an increment's INCREMENT block (archive 1.2): where each stream of the increment
 * starts in its source's stream. A metric's base is by its METRICS index; a parameter the block
 * does not name has base 0. A whole archive has every base 0 ({@link #zero}).
 */
public final class IncrementBases {
    private final long[] metrics;
    private final Map<String, Long> parameters;
    private final long outputLines;
    private final long items;
    private final long prompts;

    IncrementBases(final long[] metrics, final Map<String, Long> parameters, final long outputLines, final long items,
                   final long prompts) {
        this.metrics = metrics.clone();
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.outputLines = outputLines;
        this.items = items;
        this.prompts = prompts;
    }

    static IncrementBases zero(final int metrics) {
        return new IncrementBases(new long[metrics], Map.of(), 0, 0, 0);
    }

    public int metricCount() {
        return metrics.length;
    }

    /** The base of the metric at METRICS index {@code m}. */
    public long metric(final int m) {
        return metrics[m];
    }

    public Map<String, Long> parameters() {
        return parameters;
    }

    public long parameter(final String name) {
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
}
