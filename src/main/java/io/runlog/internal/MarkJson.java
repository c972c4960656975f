package io.runlog.internal;

import io.runlog.HighWaterMark;
import io.runlog.InvalidValueException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal: the JSON of a {@link HighWaterMark}, for the sync client, which runs in a harness and
 * takes no JSON library (docs/sync.md). A strict reader of RFC 8259 JSON restricted to what a
 * mark needs: objects, strings, non-negative integers, null; other values of unknown members
 * (arrays, booleans, fractions) are parsed and ignored. The server writes marks with Jackson;
 * {@code MarkJsonTest} and the server tests check that the two agree.
 */
public final class MarkJson {
    private static final int MAX_DEPTH = 32;

    private final String s;
    private int i;

    private MarkJson(final String s) {
        this.s = s;
    }

    public static String write(final HighWaterMark m) {
        final StringBuilder b = new StringBuilder(64 + 24 * (m.metrics().size() + m.parameters().size()));
        b.append("{\"source\":");
        if (m.sourceId() == null) {
            b.append("null");
        } else {
            string(b, m.sourceId());
        }
        b.append(",\"metrics\":");
        counts(b, m.metrics());
        b.append(",\"parameters\":");
        counts(b, m.parameters());
        b.append(",\"output\":").append(m.outputLines()).append(",\"items\":").append(m.items())
            .append(",\"prompts\":").append(m.prompts()).append('}');
        return b.toString();
    }

    private static void counts(final StringBuilder b, final Map<String, Long> m) {
        b.append('{');
        boolean first = true;
        for (final Map.Entry<String, Long> e : m.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':').append(e.getValue());
        }
        b.append('}');
    }

    private static void string(final StringBuilder b, final String v) {
        b.append('"');
        for (int k = 0; k < v.length(); k++) {
            final char c = v.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    public static HighWaterMark read(final String json) {
        if (json == null) {
            throw new InvalidValueException("mark JSON is null");
        }
        final MarkJson p = new MarkJson(json);
        p.ws();
        final HighWaterMark m = p.mark();
        p.ws();
        if (p.i != json.length()) {
            throw p.error("unexpected text after the mark");
        }
        return m;
    }

    private HighWaterMark mark() {
        expect('{');
        String source = null;
        Map<String, Long> metrics = null;
        Map<String, Long> parameters = null;
        long output = -1;
        long items = -1;
        long prompts = -1;
        boolean sourceSeen = false;
        ws();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                ws();
                final String key = string();
                ws();
                expect(':');
                ws();
                switch (key) {
                    case "source" -> {
                        sourceSeen = true;
                        if (s.startsWith("null", i)) {
                            i += 4;
                        } else {
                            source = string();
                        }
                    }
                    case "metrics" -> metrics = countObject("metrics");
                    case "parameters" -> parameters = countObject("parameters");
                    case "output" -> output = count("output");
                    case "items" -> items = count("items");
                    case "prompts" -> prompts = count("prompts");
                    default -> skipValue(0);
                }
                ws();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect('}');
                break;
            }
        }
        if (!sourceSeen || metrics == null || parameters == null || output < 0 || items < 0 || prompts < 0) {
            throw error("a mark needs the members source, metrics, parameters, output, items and prompts");
        }
        try {
            return new HighWaterMark(source, metrics, parameters, output, items, prompts);
        } catch (final InvalidValueException e) {
            throw new InvalidValueException("mark JSON: " + e.getMessage());
        }
    }

    private Map<String, Long> countObject(final String what) {
        expect('{');
        final Map<String, Long> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            final String name = string();
            ws();
            expect(':');
            ws();
            if (m.put(name, count(what + " '" + name + "'")) != null) {
                throw error("duplicate name '" + name + "' in " + what);
            }
            ws();
            if (peek() == ',') {
                i++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private long count(final String what) {
        final int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == start || (s.charAt(start) == '0' && i - start > 1)) {
            i = start;
            throw error(what + " must be a non-negative integer");
        }
        try {
            return Long.parseLong(s, start, i, 10);
        } catch (final NumberFormatException e) {
            i = start;
            throw error(what + " is out of range");
        }
    }

    private String string() {
        expect('"');
        final StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            final char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("unterminated escape");
            }
            final char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s, i, i + 4, 16));
                    } catch (final NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> {
                    i--;
                    throw error("bad escape \\" + e);
                }
            }
        }
    }

    private void skipValue(final int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        final char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            final char close = c == '{' ? '}' : ']';
            i++;
            ws();
            if (peek() == close) {
                i++;
                return;
            }
            while (true) {
                ws();
                if (c == '{') {
                    string();
                    ws();
                    expect(':');
                    ws();
                }
                skipValue(depth + 1);
                ws();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect(close);
                return;
            }
        } else if (s.startsWith("true", i) || s.startsWith("null", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else {
            final int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (i == start) {
                throw error("unexpected character");
            }
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i);
    }

    private void expect(final char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private InvalidValueException error(final String what) {
        return new InvalidValueException("mark JSON at offset " + i + ": " + what);
    }
}
