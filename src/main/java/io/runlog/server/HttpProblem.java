package io.runlog.server;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal: an RFC 9457 problem the handler answers ({@code application/problem+json}):
 * {@code type} is {@link #TYPE_BASE} plus a name from docs/sync.md, with extra members that
 * name the limit, the offset or the mark, and extra response headers (Retry-After, RateLimit).
 * Thrown inside the handler, answered by {@link SyncHandler}.
 */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String TYPE_BASE = "https://runlog.io/problems/";

    final int status;
    final String name;
    final String title;
    /** Extra members: String, Long, Integer or {@link Json.Raw} (JSON text written as is). */
    final transient Map<String, Object> members = new LinkedHashMap<>();
    final transient Map<String, String> headers = new LinkedHashMap<>();

    HttpProblem(final int status, final String name, final String title, final String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.name = name;
        this.title = title;
    }

    HttpProblem member(final String key, final Object value) {
        members.put(key, value);
        return this;
    }

    HttpProblem header(final String key, final String value) {
        headers.put(key, value);
        return this;
    }

    void write(final JsonGenerator g, final String instance) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", TYPE_BASE + name);
        g.writeStringField("title", title);
        g.writeNumberField("status", status);
        g.writeStringField("detail", getMessage());
        g.writeStringField("instance", instance);
        for (final Map.Entry<String, Object> m : members.entrySet()) {
            g.writeFieldName(m.getKey());
            final Object v = m.getValue();
            if (v instanceof Json.Raw raw) {
                g.writeRawValue(raw.json());
            } else if (v instanceof Number n) {
                g.writeNumber(n.longValue());
            } else {
                g.writeString(String.valueOf(v));
            }
        }
        g.writeEndObject();
    }
}
