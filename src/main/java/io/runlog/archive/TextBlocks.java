package io.runlog.archive;

import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.OutputChannel;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.ParameterType;
import io.runlog.ProjectKind;
import io.runlog.Prompt;
import io.runlog.RunlogException;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.Names;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.runlog.archive.ArchiveLayout.MAX_STRING_BYTES;
import static io.runlog.archive.ArchiveLayout.SOURCE_ID_LENGTH;

/**
 * Internal: payload coding of every block except POINTS and FOOTER (docs/format/archive.md).
 * Decoders validate what they read as the store would (names, keys, enum codes, text) and throw
 * {@link ByteSource.Malformed} at the offending position.
 */
final class TextBlocks {
    private static final HexFormat HEX = HexFormat.of();
    private static final int NAME_BYTES = Names.MAX_NAME_LENGTH * 4;
    private static final int KEY_BYTES = Names.MAX_KEY_LENGTH;

    private TextBlocks() {
    }

    // ------------------------------------------------------------------ EXPERIMENT

    static void experiment(final ArchiveHeader h, final ByteSink out) {
        out.string(h.project());
        out.u8(h.kind().ordinal());
        out.string(h.key());
        out.zigzag(h.createdAt());
        out.u8(h.offline() ? 1 : 0);
        final byte[] id = HEX.parseHex(h.sourceId());
        out.bytes(id, 0, id.length);
        out.zigzag(h.exportedAt());
    }

    static ArchiveHeader experiment(final ByteSource in) {
        final String project = key(in, "project name");
        final ProjectKind kind = enumCode(in, ProjectKind.values(), "project kind");
        final String key = key(in, "experiment key");
        final long created = in.zigzag("created at");
        final int offlineAt = in.position();
        final int offline = in.u8("offline flag");
        if (offline > 1) {
            throw new ByteSource.Malformed("offline flag is " + offline + ", must be 0 or 1", offlineAt);
        }
        final byte[] id = new byte[SOURCE_ID_LENGTH];
        in.bytes(id, 0, id.length, "source id");
        final long exported = in.zigzag("exported at");
        return new ArchiveHeader(project, kind, key, created, offline == 1, HEX.formatHex(id), exported);
    }

    // ------------------------------------------------------------------ METRICS

    static void metrics(final List<String> names, final long[] points, final ByteSink out) {
        out.varint(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.string(names.get(i));
            out.varint(points[i]);
        }
    }

    /** Returns the names; fills {@code counts} (a one-element holder) with the point counts. */
    static List<String> metrics(final ByteSource in, final long[][] counts) {
        final int n = in.count("metric count", Integer.MAX_VALUE, 3);
        final List<String> names = new ArrayList<>(n);
        final long[] points = new long[n];
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            final int at = in.position();
            final String name = name(in, "metric name");
            if (!seen.add(name)) {
                throw new ByteSource.Malformed("metric '" + Names.preview(name) + "' is listed twice", at);
            }
            names.add(name);
            points[i] = in.varint("point count of metric '" + Names.preview(name) + "'", 0, Long.MAX_VALUE);
        }
        counts[0] = points;
        return names;
    }

    // ------------------------------------------------------------------ INCREMENT (1.2)

    static void increment(final IncrementBases b, final ByteSink out) {
        out.varint(b.metricCount());
        for (int m = 0; m < b.metricCount(); m++) {
            out.varint(b.metric(m));
        }
        out.varint(b.parameters().size());
        for (final Map.Entry<String, Long> e : b.parameters().entrySet()) {
            out.string(e.getKey());
            out.varint(e.getValue());
        }
        out.varint(b.outputLines());
        out.varint(b.items());
        out.varint(b.prompts());
    }

    /** Reads an INCREMENT block of an archive whose METRICS block listed {@code metrics} metrics. */
    static IncrementBases increment(final ByteSource in, final int metrics) {
        final int at = in.position();
        final int m = in.count("metric base count", Integer.MAX_VALUE, 1);
        if (m != metrics) {
            throw new ByteSource.Malformed("INCREMENT lists " + m + " metric bases, METRICS " + metrics + " metrics", at);
        }
        final long[] bases = new long[m];
        for (int i = 0; i < m; i++) {
            bases[i] = in.varint("base of metric #" + i, 0, Long.MAX_VALUE);
        }
        final int k = in.count("parameter base count", Integer.MAX_VALUE, 2);
        final Map<String, Long> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            final int nameAt = in.position();
            final String name = name(in, "parameter name");
            if (parameters.put(name, in.varint("base of parameter '" + Names.preview(name) + "'", 0, Long.MAX_VALUE)) != null) {
                throw new ByteSource.Malformed("parameter '" + Names.preview(name) + "' has two bases", nameAt);
            }
        }
        final long output = in.varint("output line base", 0, Long.MAX_VALUE);
        final long items = in.varint("item base", 0, Long.MAX_VALUE);
        final long prompts = in.varint("prompt base", 0, Long.MAX_VALUE);
        return new IncrementBases(bases, parameters, output, items, prompts);
    }

    // ------------------------------------------------------------------ PARAMETERS

    static void parameter(final Parameter p, final ByteSink out) {
        out.string(p.name());
        out.u8(p.type().ordinal());
        out.string(p.text());
        out.u64(p.bits());
        out.zigzag(p.timestamp());
    }

    static List<Parameter> parameters(final ByteSource in) {
        final int n = in.count("parameter count", Integer.MAX_VALUE, 12);
        final List<Parameter> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final String name = name(in, "parameter name");
            final ParameterType type = enumCode(in, ParameterType.values(), "parameter type");
            final String text = text(in, "value of parameter '" + Names.preview(name) + "'");
            final long bits = in.u64("parameter bits");
            list.add(new Parameter(name, type, text, bits, in.zigzag("parameter timestamp")));
        }
        return list;
    }

    // ------------------------------------------------------------------ OUTPUT

    static void output(final OutputLine line, final ByteSink out) {
        out.u8(line.channel().ordinal());
        out.zigzag(line.timestamp());
        out.string(line.text());
    }

    static List<OutputLine> output(final ByteSource in) {
        final int n = in.count("output line count", Integer.MAX_VALUE, 3);
        final List<OutputLine> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final OutputChannel channel = enumCode(in, OutputChannel.values(), "output channel");
            final long timestamp = in.zigzag("output timestamp");
            list.add(new OutputLine(channel, text(in, "output line"), timestamp));
        }
        return list;
    }

    // ------------------------------------------------------------------ ITEM

    static void item(final long ordinal, final Item item, final ByteSink out) {
        out.varint(ordinal);
        out.u8(item.type().ordinal());
        out.string(item.name());
        metadata(item.metadata(), out);
        out.varint(item.payloadLength());
        final byte[] sha = HEX.parseHex(item.sha256());
        out.bytes(sha, 0, sha.length);
        out.zigzag(item.timestamp());
    }

    static Item item(final ByteSource in, final long expectedOrdinal) {
        final int at = in.position();
        final long ordinal = in.varint("item ordinal");
        if (ordinal != expectedOrdinal) {
            throw new ByteSource.Malformed("item ordinal " + ordinal + ", expected " + expectedOrdinal, at);
        }
        final ItemType type = enumCode(in, ItemType.values(), "item type");
        final String name = name(in, "item name");
        final Map<String, String> meta = metadata(in);
        final long length = in.varint("payload length", 0, Long.MAX_VALUE);
        final byte[] sha = new byte[32];
        in.bytes(sha, 0, 32, "payload SHA-256");
        return new Item(type, name, meta, length, HEX.formatHex(sha), in.zigzag("item timestamp"));
    }

    // ------------------------------------------------------------------ PROMPTS

    static void prompt(final Prompt p, final ByteSink out) {
        out.string(p.prompt());
        out.string(p.response());
        metadata(p.metadata(), out);
        out.zigzag(p.timestamp());
    }

    static List<Prompt> prompts(final ByteSource in) {
        final int n = in.count("prompt count", Integer.MAX_VALUE, 4);
        final List<Prompt> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final String prompt = text(in, "prompt");
            final String response = text(in, "response");
            final Map<String, String> meta = metadata(in);
            list.add(new Prompt(prompt, response, meta, in.zigzag("prompt timestamp")));
        }
        return list;
    }

    // ------------------------------------------------------------------ THROTTLE

    static void throttle(final ThrottleWarning warning, final ByteSink out) {
        out.varint(warning.types().size());
        for (final ThrottleWarning.Throttled t : warning.types().values()) {
            out.string(t.type().name());
            out.zigzag(t.firstMillis());
            out.zigzag(t.lastMillis());
            out.varint(t.units());
            out.varint(t.submissions());
            out.varint(t.episodes());
        }
    }

    static ThrottleWarning throttle(final ByteSource in) {
        final int n = in.count("throttle entry count", DataType.values().length, 7);
        final Map<DataType, ThrottleWarning.Throttled> types = new EnumMap<>(DataType.class);
        for (int i = 0; i < n; i++) {
            final int typeAt = in.position();
            final String name = in.string("data type", 64);
            final DataType type;
            try {
                type = DataType.valueOf(name);
            } catch (final IllegalArgumentException e) {
                throw new ByteSource.Malformed("unknown data type '" + Names.preview(name) + "'", typeAt);
            }
            if (types.containsKey(type)) {
                throw new ByteSource.Malformed("data type " + type + " listed twice", typeAt);
            }
            final long first = in.zigzag("first throttle time");
            final int lastAt = in.position();
            final long last = in.zigzag("last throttle time");
            if (last < first) {
                throw new ByteSource.Malformed("last throttle time " + last + " is before the first " + first, lastAt);
            }
            types.put(type, new ThrottleWarning.Throttled(type, first, last, in.varint("throttled units", 0, Long.MAX_VALUE),
                in.varint("throttled submissions", 0, Long.MAX_VALUE), in.varint("throttle episodes", 0, Long.MAX_VALUE)));
        }
        return new ThrottleWarning(types);
    }

    // ------------------------------------------------------------------ fields

    private static void metadata(final Map<String, String> meta, final ByteSink out) {
        out.varint(meta.size());
        for (final Map.Entry<String, String> e : meta.entrySet()) {
            out.string(e.getKey());
            out.string(e.getValue());
        }
    }

    private static Map<String, String> metadata(final ByteSource in) {
        final int n = in.count("metadata count", Integer.MAX_VALUE, 3);
        final Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            final int at = in.position();
            final String k = name(in, "metadata key");
            if (meta.put(k, text(in, "metadata value")) != null) {
                throw new ByteSource.Malformed("metadata key '" + Names.preview(k) + "' appears twice", at);
            }
        }
        return meta;
    }

    static String name(final ByteSource in, final String what) {
        final int at = in.position();
        final String s = in.string(what, NAME_BYTES);
        try {
            return Names.checkName(what, s);
        } catch (final RunlogException e) {
            throw new ByteSource.Malformed(e.getMessage(), at);
        }
    }

    private static String key(final ByteSource in, final String what) {
        final int at = in.position();
        final String s = in.string(what, KEY_BYTES);
        try {
            return Names.checkKey(what, s);
        } catch (final RunlogException e) {
            throw new ByteSource.Malformed(e.getMessage(), at);
        }
    }

    private static String text(final ByteSource in, final String what) {
        final int at = in.position();
        final String s = in.string(what, MAX_STRING_BYTES);
        try {
            return Names.checkText(what, s);
        } catch (final RunlogException e) {
            throw new ByteSource.Malformed(e.getMessage(), at);
        }
    }

    private static <E extends Enum<E>> E enumCode(final ByteSource in, final E[] values, final String what) {
        final int at = in.position();
        final int code = in.u8(what);
        if (code >= values.length) {
            throw new ByteSource.Malformed(what + " code " + code + " is unknown", at);
        }
        return values[code];
    }
}
