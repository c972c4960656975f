package io.runlog.store;

import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.Parameter;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory index of one experiment's journal, built by one scan when the experiment opens
 * and kept current by every append, so no query rescans the journal: metric names and ids, each
 * metric's {@link MetricExtents}, parameters with history, and the journal indices of output
 * lines, items and prompts. Also the ring high-water mark: the end position of the last point
 * batch, from which a crashed ring is recovered. Guarded by the experiment lock.
 */
final class ExperimentCatalog {
    private final List<String> metricNames = new ArrayList<>();
    private final List<MetricExtents> metricExtents = new ArrayList<>();
    private final Object2IntHashMap<String> metricIds = new Object2IntHashMap<>(-1);
    private final Map<String, List<Parameter>> parameters = new LinkedHashMap<>();
    private final LongArrayList outputRecords = new LongArrayList();
    private final LongArrayList itemRecords = new LongArrayList();
    private final LongArrayList promptRecords = new LongArrayList();
    private final long[] itemCounts = new long[ItemType.values().length];
    private long ringEndPosition;
    private ExperimentHeader header;
    private int headerVersion;

    /** Format version of the journal's EXPERIMENT_HEADER record (0 before one is read or written). */
    int headerVersion() {
        return headerVersion;
    }

    void headerVersion(final int version) {
        this.headerVersion = version;
    }

    ExperimentHeader header() {
        return header;
    }

    void header(final ExperimentHeader header) {
        this.header = header;
    }

    int metricCount() {
        return metricNames.size();
    }

    /** Id of a metric, or -1. */
    int metricId(final String name) {
        return metricIds.getValue(name);
    }

    String metricName(final int id) {
        return metricNames.get(id);
    }

    MetricExtents extents(final int id) {
        return metricExtents.get(id);
    }

    /** Records a METRIC_DEFINED; ids are dense and assigned in order. */
    void defineMetric(final int id, final String name) {
        if (id != metricNames.size()) {
            throw new IllegalStateException("metric id " + id + " out of order, expected " + metricNames.size());
        }
        metricNames.add(name);
        metricExtents.add(new MetricExtents());
        metricIds.put(name, id);
    }

    List<MetricInfo> metricInfos() {
        final List<MetricInfo> list = new ArrayList<>(metricNames.size());
        for (int i = 0; i < metricNames.size(); i++) {
            list.add(new MetricInfo(metricNames.get(i), metricExtents.get(i).points()));
        }
        return list;
    }

    long totalPoints() {
        long n = 0;
        for (final MetricExtents e : metricExtents) {
            n += e.points();
        }
        return n;
    }

    long ringEndPosition() {
        return ringEndPosition;
    }

    void ringEndPosition(final long position) {
        ringEndPosition = Math.max(ringEndPosition, position);
    }

    void addParameter(final Parameter p) {
        parameters.computeIfAbsent(p.name(), k -> new ArrayList<>(1)).add(p);
    }

    boolean hasParameter(final String name) {
        return parameters.containsKey(name);
    }

    int parameterCount() {
        return parameters.size();
    }

    Map<String, Parameter> latestParameters() {
        final Map<String, Parameter> latest = new LinkedHashMap<>();
        for (final Map.Entry<String, List<Parameter>> e : parameters.entrySet()) {
            latest.put(e.getKey(), e.getValue().get(e.getValue().size() - 1));
        }
        return latest;
    }

    /** Parameter names in order of first logging, with the number of values each took. */
    Map<String, Integer> parameterValueCounts() {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        for (final Map.Entry<String, List<Parameter>> e : parameters.entrySet()) {
            counts.put(e.getKey(), e.getValue().size());
        }
        return counts;
    }

    List<Parameter> parameterHistory(final String name) {
        final List<Parameter> h = parameters.get(name);
        return h == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(h));
    }

    LongArrayList outputRecords() {
        return outputRecords;
    }

    LongArrayList itemRecords() {
        return itemRecords;
    }

    LongArrayList promptRecords() {
        return promptRecords;
    }

    void countItem(final ItemType type) {
        itemCounts[type.ordinal()]++;
    }

    long itemCount(final ItemType type) {
        return itemCounts[type.ordinal()];
    }
}
