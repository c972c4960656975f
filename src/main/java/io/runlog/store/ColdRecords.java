package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.ParameterType;
import io.runlog.ProjectKind;
import io.runlog.Prompt;
import io.runlog.UnsupportedFormatVersionException;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;

import java.util.HexFormat;
import java.util.Map;

/**
 * Encoding and decoding of every record but point batches. Field order and widths are specified
 * in {@code docs/format/journal.md}; each body starts after the two-byte type and version.
 */
final class ColdRecords {
    private static final ItemType[] ITEM_TYPES = ItemType.values();
    private static final ParameterType[] PARAMETER_TYPES = ParameterType.values();
    private static final OutputChannel[] CHANNELS = OutputChannel.values();
    private static final ProjectKind[] KINDS = ProjectKind.values();
    private static final DataType[] DATA_TYPES = DataType.values();

    private ColdRecords() {
    }

    static void header(final RecordEncoder e, final ExperimentHeader h) {
        e.begin(RecordType.EXPERIMENT_HEADER).putShort(0).putInt(JournalLayout.VERSION)
            .putLong(JournalLayout.MAGIC).putLong(h.createdAt())
            .putByte(h.kind().ordinal()).putByte(h.offline() ? 1 : 0).putShort(0)
            .putString(h.project()).putString(h.key());
    }

    static ExperimentHeader header(final RecordDecoder d) {
        d.readShort();
        final long versionAt = d.offset();
        final int version = d.readInt();
        if (version > JournalLayout.VERSION) {
            throw new UnsupportedFormatVersionException("journal format version " + version
                + ", this build reads up to " + JournalLayout.VERSION);
        }
        if (version != d.version()) {
            throw d.corrupt("experiment header of a journal of format version " + version
                + " is a record of version " + d.version(), versionAt);
        }
        final long magicAt = d.offset();
        if (d.readLong() != JournalLayout.MAGIC) {
            throw d.corrupt("bad magic in experiment header", magicAt);
        }
        final long createdAt = d.readLong();
        final ProjectKind kind = KINDS[checkOrdinal(d, d.readByte(), KINDS.length, "project kind")];
        final boolean offline = d.readByte() != 0;
        d.readShort();
        final String project = d.readString();
        return new ExperimentHeader(project, kind, d.readString(), createdAt, offline);
    }

    static void metricDefined(final RecordEncoder e, final int id, final String name) {
        e.begin(RecordType.METRIC_DEFINED).putShort(0).putInt(id).putString(name);
    }

    /**
     * Reads a METRIC_DEFINED body; returns the id, the name is in {@code name[0]}. Ids are dense and
     * defined in order: an id other than {@code expectedId} is corruption.
     */
    static int metricDefined(final RecordDecoder d, final String[] name, final int expectedId) {
        d.readShort();
        final long idAt = d.offset();
        final int id = d.readInt();
        if (id != expectedId) {
            throw d.corrupt("metric id " + id + " defined out of order, expected " + expectedId, idAt);
        }
        name[0] = d.readString();
        return id;
    }

    static void parameter(final RecordEncoder e, final Parameter p) {
        e.begin(RecordType.PARAMETER).putByte(p.type().ordinal()).putByte(0).putInt(0)
            .putLong(p.timestamp()).putLong(p.bits()).putString(p.name()).putString(p.text());
    }

    static Parameter parameter(final RecordDecoder d) {
        final ParameterType type = PARAMETER_TYPES[checkOrdinal(d, d.readByte(), PARAMETER_TYPES.length, "parameter type")];
        d.readByte();
        d.readInt();
        final long timestamp = d.readLong();
        final long bits = d.readLong();
        final String name = d.readString();
        return new Parameter(name, type, d.readString(), bits, timestamp);
    }

    static void output(final RecordEncoder e, final OutputLine line) {
        e.begin(RecordType.OUTPUT_LINE).putByte(line.channel().ordinal()).putByte(0).putInt(0)
            .putLong(line.timestamp()).putString(line.text());
    }

    static OutputLine output(final RecordDecoder d) {
        final OutputChannel channel = CHANNELS[checkOrdinal(d, d.readByte(), CHANNELS.length, "output channel")];
        d.readByte();
        d.readInt();
        final long timestamp = d.readLong();
        return new OutputLine(channel, d.readString(), timestamp);
    }

    static void item(final RecordEncoder e, final Item item) {
        e.begin(RecordType.ITEM).putByte(item.type().ordinal()).putByte(0).putInt(item.metadata().size())
            .putLong(item.timestamp()).putLong(item.payloadLength()).putBytes(HexFormat.of().parseHex(item.sha256()))
            .putString(item.name()).putStringPairs(item.metadata());
    }

    /** The item type of an ITEM record, read without decoding the rest. */
    static ItemType itemType(final RecordDecoder d) {
        return ITEM_TYPES[checkOrdinal(d, d.readByte(), ITEM_TYPES.length, "item type")];
    }

    static Item item(final RecordDecoder d) {
        final ItemType type = itemType(d);
        d.readByte();
        final int metaCount = d.readInt();
        final long timestamp = d.readLong();
        final long length = d.readLong();
        if (length < 0) {
            throw d.corrupt("negative payload length " + length, d.offset() - 8);
        }
        final String sha = HexFormat.of().formatHex(d.readBytes(32));
        final String name = d.readString();
        final Map<String, String> meta = d.readStringPairs(metaCount);
        return new Item(type, name, meta, length, sha, timestamp);
    }

    static void prompt(final RecordEncoder e, final Prompt p) {
        e.begin(RecordType.PROMPT).putShort(0).putInt(p.metadata().size()).putLong(p.timestamp())
            .putString(p.prompt()).putString(p.response()).putStringPairs(p.metadata());
    }

    static Prompt prompt(final RecordDecoder d) {
        d.readShort();
        final int metaCount = d.readInt();
        final long timestamp = d.readLong();
        final String prompt = d.readString();
        final String response = d.readString();
        return new Prompt(prompt, response, d.readStringPairs(metaCount), timestamp);
    }

    static void throttleWarning(final RecordEncoder e, final ThrottleWarning.Throttled t) {
        e.begin(RecordType.THROTTLE_WARNING).putByte(t.type().ordinal()).putByte(0).putInt(0)
            .putLong(t.firstMillis()).putLong(t.lastMillis()).putLong(t.units()).putLong(t.submissions())
            .putLong(t.episodes());
    }

    static ThrottleWarning.Throttled throttleWarning(final RecordDecoder d) {
        final DataType type = DATA_TYPES[checkOrdinal(d, d.readByte(), DATA_TYPES.length, "data type")];
        d.readByte();
        d.readInt();
        final long first = d.readLong();
        final long last = d.readLong();
        final long units = d.readLong();
        final long submissions = d.readLong();
        final long episodes = d.readLong();
        if (last < first || units < 0 || submissions < 0 || episodes < 0) {
            throw d.corrupt("impossible throttle warning: first " + first + ", last " + last + ", units " + units
                + ", submissions " + submissions + ", episodes " + episodes, 8);
        }
        return new ThrottleWarning.Throttled(type, first, last, units, submissions, episodes);
    }

    private static int checkOrdinal(final RecordDecoder d, final int value, final int limit, final String what) {
        if (value >= limit) {
            throw d.corrupt("unknown " + what + " code " + value, d.offset() - 1);
        }
        return value;
    }

    static CorruptStoreException unexpected(final RecordDecoder d, final RecordType type) {
        return d.corrupt("unexpected " + type + " record", 0);
    }
}
