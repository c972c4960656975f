package io.runlog.gate;

import io.runlog.Experiment;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent warning flag of an experiment: which data types the ingestion gate has ever
 * throttled for it, when, and how much. Raised by the first throttled submission, never lowered;
 * it survives reopening (each throttled submission appends one small journal record) and travels
 * in archives. Read it with {@link Experiment#throttleWarning()} or {@code runlog status}.
 *
 * @param types the throttled data types, in {@link DataType} order; empty if never throttled
 */
public record ThrottleWarning(Map<DataType, Throttled> types) {
    /** An experiment that was never throttled. */
    public static final ThrottleWarning NONE = new ThrottleWarning(Map.of());

    public ThrottleWarning {
        final EnumMap<DataType, Throttled> copy = new EnumMap<>(DataType.class);
        copy.putAll(types);
        types = Collections.unmodifiableMap(copy);
    }

    /** True if any type of the experiment was ever throttled. */
    public boolean raised() {
        return !types.isEmpty();
    }

    /** What was throttled of one type, if anything. */
    public Optional<Throttled> of(final DataType type) {
        return Optional.ofNullable(types.get(type));
    }

    /**
     * What the gate throttled of one data type of one experiment.
     *
     * @param type        the data type
     * @param firstMillis epoch ms of the first throttled submission
     * @param lastMillis  epoch ms of the latest throttled submission
     * @param units       units not accepted, summed over every throttled submission (values,
     *                    parameters, lines or items)
     * @param submissions throttled submissions that carried this type
     * @param episodes    throttling episodes (each announced once to the {@link ThrottleListener})
     */
    public record Throttled(DataType type, long firstMillis, long lastMillis, long units, long submissions,
                            long episodes) {
    }
}
