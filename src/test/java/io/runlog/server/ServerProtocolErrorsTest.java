package io.runlog.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests Jetty refuses before the handler sees them, and the methods of a route, answer like
 * every other error of the protocol: an RFC 9457 problem, never Jetty's HTML page.
 */
class ServerProtocolErrorsTest {
    @TempDir
    Path dir;

    private SyncServer start() throws Exception {
        return ServerFixture.start(dir, keys(), new ServerOptions());
    }

    private Path keys() throws Exception {
        final Path keys = dir.resolve("keys");
        ApiKeys.add(keys, "p");
        return keys;
    }

    /** Sends {@code head} (a request without a body) on a raw socket and returns the whole answer. */
    private static String raw(final SyncServer s, final String head) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertProblem(final String answer, final int status) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"type\":\"https://runlog.io/problems/bad-request\""), answer);
        assertTrue(answer.contains("\"status\":" + status), answer);
        assertFalse(answer.contains("<html"), answer);
    }

    @Test
    void anAmbiguousDotDotSegmentIsAProblemNotAnHtmlPage() throws Exception {
        try (SyncServer s = start()) {
            final String answer = raw(s, "GET /v1/projects/%2e%2e/experiments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
            assertProblem(answer, 400);
        }
    }

    @Test
    void aMalformedContentLengthIsAProblemNotAnHtmlPage() throws Exception {
        try (SyncServer s = start()) {
            final String answer = raw(s, "POST /v1/projects/p/experiments/e/segments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: " + ServerFixture.TYPE + "\r\nContent-Length: -5\r\nConnection: close\r\n\r\n");
            assertProblem(answer, 400);
            assertTrue(answer.contains("Content-Length"), "names what was wrong: " + answer);
        }
    }

    @Test
    void anotherMethodOnSegmentsIsAllowedGetAndPost() throws Exception {
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer s = ServerFixture.start(dir, keys, new ServerOptions())) {
            final HttpClient c = ServerFixture.client();
            final HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(ServerFixture.segments(s, "p", "e")))
                .header("Authorization", "Bearer " + key).method("PUT", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), r.body());
            assertEquals("GET, POST", r.headers().firstValue("Allow").orElse(""), "GET answers the mark, POST takes a segment");
            assertTrue(r.body().contains("method-not-allowed"), r.body());
        }
    }
}
