package io.runlog.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runlog.HighWaterMark;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Internal: the server's JSON, through Jackson's streaming generator (no hand-written JSON). */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** JSON text written as it is (a mark written by {@link #mark}). */
    record Raw(String json) {
    }

    private Json() {
    }

    static JsonGenerator generator(final OutputStream out) throws IOException {
        final JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /** A mark in the shape of docs/sync.md (the same as {@link HighWaterMark#toJson()}). */
    static void mark(final JsonGenerator g, final HighWaterMark m) throws IOException {
        g.writeStartObject();
        if (m.sourceId() == null) {
            g.writeNullField("source");
        } else {
            g.writeStringField("source", m.sourceId());
        }
        counts(g, "metrics", m.metrics());
        counts(g, "parameters", m.parameters());
        g.writeNumberField("output", m.outputLines());
        g.writeNumberField("items", m.items());
        g.writeNumberField("prompts", m.prompts());
        g.writeEndObject();
    }

    static String markText(final HighWaterMark m) {
        final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (JsonGenerator g = generator(b)) {
            mark(g, m);
        } catch (final IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void counts(final JsonGenerator g, final String name, final Map<String, Long> counts)
        throws IOException {
        g.writeObjectFieldStart(name);
        for (final Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** A double: a JSON number if finite, else the string "NaN", "Infinity" or "-Infinity". */
    static void value(final JsonGenerator g, final double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }
}
