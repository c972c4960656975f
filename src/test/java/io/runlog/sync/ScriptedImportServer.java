package io.runlog.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.IncrementGapException;
import io.runlog.RunlogStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A small server of the sync protocol's upload and resume resources on the JDK's HTTP server, over
 * the library's real importer ({@code RunlogStore.importArchive}, {@code highWaterMark}), with a
 * script of faults to play first: statuses to answer without importing, or "import, then drop the
 * connection without answering" (the client cannot know the server committed). For the client's
 * retry tests, independent of the production server.
 */
final class ScriptedImportServer implements AutoCloseable {
    /** A scripted answer: a status (with Retry-After if non-negative), or {@link #IMPORT_THEN_DROP}. */
    record Step(int status, long retryAfterSeconds) {
    }

    static final int IMPORT_THEN_DROP = -1;

    record Seen(long atMillis, String method, int answered) {
    }

    private final RunlogStore store;
    private final Path spool;
    private final LongSupplier clock;
    private final HttpServer http;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<Seen> seen = new ArrayList<>();
    private int n;

    ScriptedImportServer(final RunlogStore store, final Path spool, final LongSupplier clock) throws IOException {
        this(store, spool, clock, 0);
    }

    /** On a given port (0: ephemeral). */
    ScriptedImportServer(final RunlogStore store, final Path spool, final LongSupplier clock, final int port)
        throws IOException {
        this.store = store;
        this.spool = spool;
        this.clock = clock;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.createContext("/v1/projects/", this::handle);
        http.start();
    }

    synchronized ScriptedImportServer then(final int status, final long retryAfterSeconds) {
        script.add(new Step(status, retryAfterSeconds));
        return this;
    }

    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private synchronized void handle(final HttpExchange ex) throws IOException {
        final long at = clock.getAsLong();
        final String[] parts = ex.getRequestURI().getRawPath().split("/");
        // /v1/projects/{p}/experiments/{e}/segments
        final String project = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
        final String key = URLDecoder.decode(parts[5], StandardCharsets.UTF_8);
        final String query = ex.getRequestURI().getRawQuery();
        String source = null;
        for (final String kv : query == null ? new String[0] : query.split("&")) {
            if (kv.startsWith("source=")) {
                source = kv.substring(7);
            }
        }
        if (ex.getRequestMethod().equals("GET")) {
            seen.add(new Seen(at, "GET", 200));
            answer(ex, 200, store.highWaterMark(project, key, source).toJson(), -1);
            return;
        }
        final byte[] body = ex.getRequestBody().readAllBytes();
        final Step step = script.poll();
        if (step != null && step.status() != IMPORT_THEN_DROP) {
            seen.add(new Seen(at, "POST", step.status()));
            answer(ex, step.status(), "{\"type\":\"https://runlog.io/problems/scripted\"}", step.retryAfterSeconds());
            return;
        }
        final Path file = spool.resolve("segment-" + (n++) + ".rla");
        Files.write(file, body);
        final ImportResult r;
        try {
            r = store.importArchive(file, new ImportOptions().project(project).key(key));
        } catch (final IncrementGapException gap) {
            seen.add(new Seen(at, "POST", 409));
            answer(ex, 409, "{\"type\":\"https://runlog.io/problems/increment-gap\",\"mark\":" + gap.held().toJson() + "}", -1);
            return;
        } finally {
            Files.delete(file);
        }
        if (step != null) {
            seen.add(new Seen(at, "POST", IMPORT_THEN_DROP));
            ex.getHttpContext().getServer();
            ex.close();   // committed, but the client hears nothing
            return;
        }
        seen.add(new Seen(at, "POST", 200));
        answer(ex, 200, r.mark().toJson(), -1);
    }

    private static void answer(final HttpExchange ex, final int status, final String body, final long retryAfter)
        throws IOException {
        final byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (retryAfter >= 0) {
            ex.getResponseHeaders().add("Retry-After", Long.toString(retryAfter));
        }
        ex.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
