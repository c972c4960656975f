package io.runlog.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlog.HighWaterMark;
import io.runlog.ImportResult;
import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;
import io.runlog.NotFoundException;
import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import io.runlog.gate.IngestionGate;
import io.runlog.internal.IoErrors;
import io.runlog.internal.Names;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sync protocol (docs/sync.md) as a Jetty 12 core {@link Handler}: uploads of segments,
 * the resume mark, and the JSON reads, over a {@link RunlogStore} the caller opened and closes.
 * Mount it at the server's root (it answers paths from {@code /v1/}). Names in paths are
 * percent-decoded segment by segment, so a metric name may hold {@code /} as {@code %2F}; the
 * connector's URI compliance must allow that ({@link SyncServer} sets it). Thread-safe: Jetty
 * calls it from many threads; uploads of one experiment are serialised.
 *
 * <p>Every request but {@code /v1/health} needs {@code Authorization: Bearer KEY} of the project
 * it names. The key itself is never logged, stored or put into an answer; the rate limits count
 * per key under an id derived from its hash.
 */
public final class SyncHandler extends Handler.Abstract {
    static final String ARCHIVE_TYPE = "application/vnd.runlog.archive";
    /** The largest chart a request may ask: a 4K screen (an image costs 4 bytes a pixel while it is drawn). */
    static final long MAX_CHART_PIXELS = 3840L * 2160L;

    private final RunlogStore store;
    private final KeySource keys;
    private final ServerOptions options;
    private final SegmentUpload uploads;
    /** The rate limits (a gate of nothing limited if none was given). */
    private final IngestionGate gate;
    private final Reads reads;

    /** Where the handler gets its keys: fixed, or a key file reread when it changes. */
    interface KeySource {
        ApiKeys keys();
    }

    /**
     * @param store   the server's store (the caller owns it)
     * @param keys    the API keys
     * @param gate    the rate limits for online experiments (use {@code options.rateLimits()} and
     *                {@code options.clock()} for it); null: none
     * @param options sizes and defaults
     * @throws StoreAccessException if the spool directory cannot be prepared
     */
    public SyncHandler(final RunlogStore store, final ApiKeys keys, final IngestionGate gate, final ServerOptions options) {
        this(store, () -> keys, gate, options);
    }

    SyncHandler(final RunlogStore store, final KeySource keys, final IngestionGate gate, final ServerOptions options) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.options = Objects.requireNonNull(options, "options");
        final Path spool = options.spoolDirectory() != null ? options.spoolDirectory()
            : store.directory().resolve("sync-spool");
        try {
            SegmentUpload.clearSpool(io.runlog.internal.StoreAccess.fileSystem(io.runlog.internal.StoreAccess.engine(store).options()), spool);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot prepare the spool directory " + spool + ": " + IoErrors.describe(e), e);
        }
        this.uploads = new SegmentUpload(store, gate, options, spool);
        this.gate = gate != null ? gate : new IngestionGate(ServerOptions.unlimited(), options.clock());
        this.reads = new Reads(store, options);
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        final String path = request.getHttpURI().getPath();
        try {
            route(request, response, callback, segments(path));
        } catch (final HttpProblem p) {
            problem(response, callback, p, path);
        } catch (final NotFoundException e) {
            problem(response, callback, new HttpProblem(404, "not-found", "Not found", e.getMessage()), path);
        } catch (final InvalidNameException e) {
            problem(response, callback, new HttpProblem(400, "invalid-name", "Invalid name", e.getMessage()), path);
        } catch (final InvalidValueException e) {
            problem(response, callback, new HttpProblem(400, "invalid-value", "Invalid value", e.getMessage()), path);
        } catch (final IOException | RuntimeException e) {
            // the message may name server paths, never a key; it says what failed
            problem(response, callback, new HttpProblem(500, "internal", "Internal error",
                e.getClass().getSimpleName() + ": " + e.getMessage()), path);
        }
        return true;
    }

    private void route(final Request request, final Response response, final Callback callback, final List<String> s)
        throws IOException {
        final String method = request.getMethod();
        if (s.size() < 2 || !s.get(0).equals("v1")) {
            throw notFound();
        }
        if (s.size() == 2 && s.get(1).equals("health")) {
            allow(method, "GET");
            json(response, callback, 200, g -> {
                g.writeStartObject();
                g.writeStringField("status", "ok");
                g.writeEndObject();
            });
            return;
        }
        if (!s.get(1).equals("projects")) {
            throw notFound();
        }
        final ApiKeys.Entry key = authenticate(request);
        if (s.size() == 2) {
            allow(method, "GET");
            json(response, callback, 200, g -> reads.projects(g, key.project()));
            return;
        }
        final String project = Names.checkKey("project name", s.get(2));
        if (!project.equals(key.project())) {
            throw new HttpProblem(403, "forbidden", "Forbidden", "this API key is not bound to project '" + project + "'");
        }
        if (s.size() == 3 || !s.get(3).equals("experiments")) {
            throw notFound();
        }
        if (s.size() == 4) {
            allow(method, "GET");
            json(response, callback, 200, g -> reads.experiments(g, project));
            return;
        }
        final String experiment = Names.checkKey("experiment key", s.get(4));
        if (s.size() == 6 && s.get(5).equals("segments")) {
            segments(request, response, callback, project, experiment, key);
            return;
        }
        allow(method, "GET");
        if (s.size() == 6 && s.get(5).equals("status")) {
            json(response, callback, 200, g -> reads.status(g, project, experiment));
        } else if (s.size() == 6 && s.get(5).equals("metrics")) {
            json(response, callback, 200, g -> reads.metrics(g, project, experiment));
        } else if (s.size() == 8 && s.get(5).equals("metrics")) {
            final String metric = s.get(6);
            final Fields query = Request.extractQueryParameters(request);
            switch (s.get(7)) {
                case "series" -> {
                    reads.checkMetric(project, experiment, metric); // 404 before the answer starts
                    streamed(response, callback, g -> reads.series(g, project, experiment, metric));
                }
                case "sampled" -> {
                    final int max = intParameter(query, "max", options.defaultSampleMax(), 3, 10_000_000);
                    final Reads.Sampled sampled = reads.sample(project, experiment, metric, max); // errors before the answer
                    streamed(response, callback, g -> reads.sampled(g, sampled));
                }
                case "chart.png" -> {
                    final int width = intParameter(query, "width", 1200, 200, 8000);
                    final int height = intParameter(query, "height", 600, 150, 8000);
                    if ((long) width * height > MAX_CHART_PIXELS) { // 4 bytes a pixel: 8000x8000 held 256 MB a request
                        throw new HttpProblem(400, "invalid-value", "Invalid parameter", "?width= x ?height= must be at most "
                            + MAX_CHART_PIXELS + " pixels (3840x2160), got " + width + "x" + height);
                    }
                    final byte[] png = reads.chart(project, experiment, metric, width, height);
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "image/png");
                    response.write(true, ByteBuffer.wrap(png), callback);
                }
                default -> throw notFound();
            }
        } else {
            throw notFound();
        }
    }

    private void segments(final Request request, final Response response, final Callback callback, final String project,
                          final String experiment, final ApiKeys.Entry key) throws IOException {
        final Fields query = Request.extractQueryParameters(request);
        final String source = query.getValue("source");
        if ("GET".equals(request.getMethod())) {
            final HighWaterMark mark;
            try {
                mark = store.highWaterMark(project, experiment, source);
            } catch (final InvalidValueException e) {
                throw new HttpProblem(400, source == null ? "ambiguous-source" : "invalid-value", "Bad source",
                    e.getMessage());
            }
            json(response, callback, 200, g -> Json.mark(g, mark));
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            throw new HttpProblem(405, "method-not-allowed", "Method not allowed", request.getMethod()
                + " is not allowed here; use GET (the mark) or POST (a segment)").header("Allow", "GET, POST");
        }
        final String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.split(";")[0].strip().equalsIgnoreCase(ARCHIVE_TYPE)) {
            throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type",
                "a segment's Content-Type must be " + ARCHIVE_TYPE + ", got " + (type == null ? "none" : "'" + type + "'"));
        }
        final long length = request.getLength();
        if (length > options.maxBodyBytes()) {
            throw SegmentUpload.tooLarge(options.maxBodyBytes(), "Content-Length " + length);
        }
        final ImportResult r = uploads.upload(project, experiment, key.id(), Content.Source.asInputStream(request), length);
        response.getHeaders().put("Runlog-Points-Added", Long.toString(r.pointsAdded()));
        response.getHeaders().put("Runlog-Entries-Added", Long.toString(r.otherAdded()));
        final String policy = RateLimitHeaders.policy(options.rateLimits());
        if (policy != null && !offline(project, experiment)) { // offline experiments skip the rate limits
            response.getHeaders().put("RateLimit-Policy", policy);
            final String left = RateLimitHeaders.current(gate, key.id(), null, options.clock().time());
            if (left != null) {
                response.getHeaders().put("RateLimit", left);
            }
        }
        json(response, callback, 200, g -> Json.mark(g, r.mark()));
    }

    /** True if the server's experiment (which the upload just imported into) is offline. */
    private boolean offline(final String project, final String experiment) {
        final io.runlog.store.StoreEngine se = io.runlog.internal.StoreAccess.engine(store);
        return se.projectExists(project) && se.experimentExists(project, experiment)
            && se.experimentHeader(project, experiment).offline();
    }

    private ApiKeys.Entry authenticate(final Request request) {
        final String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        final String bearer = "Bearer ";
        if (auth == null || auth.length() <= bearer.length() || !auth.regionMatches(true, 0, bearer, 0, bearer.length())) {
            throw unauthorized("this request needs an API key: Authorization: Bearer KEY");
        }
        final ApiKeys.Entry e = keys.keys().entry(auth.substring(bearer.length()).strip());
        if (e == null) {
            throw unauthorized("unknown API key");
        }
        return e;
    }

    private static HttpProblem unauthorized(final String detail) {
        return new HttpProblem(401, "unauthorized", "Unauthorized", detail)
            .header("WWW-Authenticate", "Bearer realm=\"runlog\"");
    }

    private static HttpProblem notFound() {
        return new HttpProblem(404, "not-found", "Not found", "no such resource (docs/sync.md lists them)");
    }

    private static void allow(final String method, final String allowed) {
        if (!allowed.equals(method)) {
            throw new HttpProblem(405, "method-not-allowed", "Method not allowed", method + " is not allowed here; use "
                + allowed).header("Allow", allowed);
        }
    }

    private static int intParameter(final Fields query, final String name, final int dflt, final int min, final int max) {
        final String v = query.getValue(name);
        if (v == null) {
            return dflt;
        }
        try {
            final int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (final NumberFormatException ignored) {
            // answered below
        }
        throw new HttpProblem(400, "invalid-value", "Invalid parameter", "?" + name + "= must be an integer from " + min
            + " to " + max + ", got '" + v + "'");
    }

    /** The path's segments, each percent-decoded (so %2F stays inside its segment). */
    static List<String> segments(final String rawPath) {
        final List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (final String part : rawPath.split("/", -1)) {
            if (!part.isEmpty()) {
                out.add(decode(part));
            }
        }
        return out;
    }

    private static String decode(final String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            final int pct = s.indexOf('%', i);
            final int end = pct < 0 ? s.length() : pct;
            final byte[] plain = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
            b.write(plain, 0, plain.length);
            if (pct < 0) {
                break;
            }
            final int hi = pct + 1 < s.length() ? Character.digit(s.charAt(pct + 1), 16) : -1;
            final int lo = pct + 2 < s.length() ? Character.digit(s.charAt(pct + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new HttpProblem(400, "invalid-name", "Invalid path", "bad percent-encoding at '"
                    + s.substring(pct, Math.min(s.length(), pct + 3)) + "'");
            }
            b.write(hi * 16 + lo);
            i = pct + 3;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A JSON answer, written whole before anything is sent (so an error can still become a problem answer). */
    private static void json(final Response response, final Callback callback, final int status, final Body body)
        throws IOException {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(b)) {
            body.write(g);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(b.toByteArray()), callback);
    }

    /**
     * A JSON answer streamed through Jackson into the response as it is produced (memory bounded
     * however long); the caller checks first what could fail, as after the first byte an error
     * can only cut the answer short.
     */
    private static void streamed(final Response response, final Callback callback, final Body body) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        try (OutputStream out = Content.Sink.asOutputStream(response); JsonGenerator g = Json.generator(out)) {
            body.write(g);
        }
        callback.succeeded();
    }

    private static void problem(final Response response, final Callback callback, final HttpProblem p, final String path) {
        if (response.isCommitted()) {
            callback.failed(p); // a streamed answer broke off: the client sees a truncated body
            return;
        }
        try {
            response.reset();
        } catch (final IllegalStateException committed) {
            callback.failed(p);
            return;
        }
        response.setStatus(p.status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        p.headers.forEach((k, v) -> response.getHeaders().put(k, v));
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(b)) {
            p.write(g, path);
        } catch (final IOException e) {
            callback.failed(e);
            return;
        }
        response.write(true, ByteBuffer.wrap(b.toByteArray()), callback);
    }
}
