package io.runlog.gate;

import io.runlog.Experiment;
import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.internal.Names;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One request of a client to an experiment, as a tracking server receives it: metric points,
 * parameters, output lines, items and prompts, decided by
 * {@link IngestionGate#submit(String, Experiment, Submission)} type by type and written if
 * admitted. Entries are validated as they are added (a bad name or text throws
 * {@link InvalidNameException} or {@link InvalidValueException} at once), so a submission that was
 * built is well-formed (the entry records check themselves the same way). Not thread-safe: build it on one thread, then submit it.
 *
 * <pre>{@code
 * Submission s = new Submission()
 *     .metric("loss", 100, 0.25)
 *     .parameter("lr", 3e-4)
 *     .output(OutputChannel.STDOUT, "epoch 1 done");
 * SubmissionResult r = gate.submit(apiKey, experiment, s);
 * if (!r.fullyAccepted()) { keep(r.rejectedSubmission()); retryAt(r.retryAfterMillis()); }
 * }</pre>
 */
public final class Submission {
    /** Timestamp of a metric entry that takes the experiment clock's time when it is written. */
    public static final long CLOCK = Long.MIN_VALUE;

    private final List<Entry> entries = new ArrayList<>();
    private final int[] units = new int[DataType.values().length];

    /** An entry of a submission: its data type decides which rate limit it counts against. */
    public sealed interface Entry permits MetricPoint, ParameterValue, OutputEntry, ItemEntry, PromptEntry {
        DataType dataType();
    }

    /** A metric point; {@code timestamp} is epoch ms, or {@link #CLOCK}. */
    public record MetricPoint(String name, long step, long timestamp, double value) implements Entry {
        public MetricPoint {
            Names.checkName("metric", name);
        }

        @Override
        public DataType dataType() {
            return DataType.METRICS;
        }
    }

    /** A parameter value: a {@code String}, {@code Double}, {@code Long} or {@code Boolean}. */
    public record ParameterValue(String name, Object value) implements Entry {
        public ParameterValue {
            Names.checkName("parameter", name);
            if (value instanceof String text) {
                Names.checkText("value of parameter '" + name + "'", text);
            } else if (!(value instanceof Double || value instanceof Long || value instanceof Boolean)) {
                throw new InvalidValueException("parameter '" + name + "' must be a String, Double, Long or Boolean, got "
                    + (value == null ? "null" : value.getClass().getName()));
            }
        }

        @Override
        public DataType dataType() {
            return DataType.PARAMETERS;
        }
    }

    /** A line of output. */
    public record OutputEntry(OutputChannel channel, String line) implements Entry {
        public OutputEntry {
            if (channel == null) {
                throw new InvalidValueException("output channel is null");
            }
            Names.checkText("output line", line);
        }

        @Override
        public DataType dataType() {
            return DataType.OUTPUT;
        }
    }

    /** An item with its payload (not copied: leave the array alone until the submission is decided). */
    public record ItemEntry(ItemType type, String name, Map<String, String> metadata, byte[] payload)
        implements Entry {
        public ItemEntry {
            if (type == null) {
                throw new InvalidValueException("item type is null");
            }
            Names.checkName("item", name);
            if (payload == null) {
                throw new InvalidValueException("payload of item '" + name + "' is null");
            }
            metadata = Names.checkMetadata(metadata);
        }

        @Override
        public DataType dataType() {
            return DataType.OTHER;
        }
    }

    /** A prompt (LLM projects only). */
    public record PromptEntry(String prompt, String response, Map<String, String> metadata) implements Entry {
        public PromptEntry {
            Names.checkText("prompt", prompt);
            response = response == null ? "" : response;
            Names.checkText("response", response);
            metadata = Names.checkMetadata(metadata);
        }

        @Override
        public DataType dataType() {
            return DataType.OTHER;
        }
    }

    public Submission metric(final String name, final long step, final double value) {
        return add(new MetricPoint(name, step, CLOCK, value));
    }

    public Submission metric(final String name, final long step, final long timestamp, final double value) {
        return add(new MetricPoint(name, step, timestamp, value));
    }

    public Submission parameter(final String name, final String value) {
        return add(new ParameterValue(name, value));
    }

    public Submission parameter(final String name, final double value) {
        return add(new ParameterValue(name, value));
    }

    public Submission parameter(final String name, final long value) {
        return add(new ParameterValue(name, value));
    }

    public Submission parameter(final String name, final boolean value) {
        return add(new ParameterValue(name, value));
    }

    public Submission output(final OutputChannel channel, final String line) {
        return add(new OutputEntry(channel, line));
    }

    public Submission item(final ItemType type, final String name, final Map<String, String> metadata,
                           final byte[] payload) {
        return add(new ItemEntry(type, name, metadata, payload));
    }

    public Submission prompt(final String prompt, final String response, final Map<String, String> metadata) {
        return add(new PromptEntry(prompt, response, metadata));
    }

    /** Adds an entry taken from another submission (for example a rejected one, to retry it). */
    public Submission add(final Entry entry) {
        if (entry == null) {
            throw new InvalidValueException("submission entry is null");
        }
        if (units[entry.dataType().ordinal()] == Integer.MAX_VALUE) {
            throw new InvalidValueException("a submission holds at most " + Integer.MAX_VALUE + " entries of "
                + entry.dataType());
        }
        entries.add(entry);
        units[entry.dataType().ordinal()]++;
        return this;
    }

    /** The entries, in the order they were added. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Units of one type: what the submission counts against that type's rate limit. */
    public int units(final DataType type) {
        return units[type.ordinal()];
    }

    /** Units per type, indexed by {@link DataType#ordinal()}: a fresh copy. */
    int[] unitsByType() {
        return units.clone();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

}
