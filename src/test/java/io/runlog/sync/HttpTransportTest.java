package io.runlog.sync;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport alone, against a JDK HTTP server on loopback. */
class HttpTransportTest {
    private static final String KEY = "rk_secret_0123456789";
    private HttpServer server;
    private final List<String> seen = new ArrayList<>();
    private volatile byte[] received;

    private URI start(final int status, final byte[] reply, final String... headers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            synchronized (seen) {
                seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " "
                    + ex.getRequestHeaders().getFirst("Authorization") + " " + ex.getRequestHeaders().getFirst("Content-Type"));
            }
            received = ex.getRequestBody().readAllBytes();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            ex.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(reply);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static HttpTransport transport(final URI uri) {
        return new HttpTransport(uri, KEY, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void postSendsTheArchiveWithItsMediaTypeAndTheBearerKey() throws Exception {
        final URI uri = start(200, "{\"mark\":1}".getBytes(), "RateLimit", "\"metrics\";r=5;t=1");
        final byte[] body = new byte[100_000];
        new java.util.Random(1).nextBytes(body);
        final HttpTransport.Reply r = transport(uri).postArchive(HttpTransport.segmentsPath("p", "e 1/x"), body);
        assertEquals(200, r.status());
        assertEquals("{\"mark\":1}", r.bodyText());
        assertEquals(5, r.rateLimits().remaining("metrics").orElseThrow());
        assertArrayEquals(body, received);
        assertEquals(List.of("POST /v1/projects/p/experiments/e%201%2Fx/segments Bearer " + KEY + " "
            + HttpTransport.ARCHIVE_MEDIA_TYPE), seen);
    }

    @Test
    void getAnswersStatusHeadersAndBody() throws Exception {
        final URI uri = start(429, new byte[0], "Retry-After", "7");
        final HttpTransport.Reply r = transport(uri).get(HttpTransport.segmentsPath("p", "e"));
        assertEquals(429, r.status());
        assertEquals("7", r.header("Retry-After").orElseThrow());
        assertEquals(0, r.body().length);
    }

    @Test
    void aRefusedConnectionIsAnIOExceptionThatNeverNamesTheKey() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final IOException e = assertThrows(IOException.class,
            () -> transport(URI.create("http://127.0.0.1:" + port)).get("/v1/x"));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(KEY));
        }
    }

    @Test
    void anOverlongReplyIsRefusedNotBuffered() throws Exception {
        final URI uri = start(200, new byte[HttpTransport.MAX_REPLY_BYTES + 10]);
        final IOException e = assertThrows(IOException.class, () -> transport(uri).get("/v1/x"));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void badServerUrlsAndKeysAreRefusedWithoutEchoingTheKey() {
        assertThrows(IllegalArgumentException.class, () -> transport(URI.create("ftp://h/")));
        assertThrows(IllegalArgumentException.class, () -> transport(URI.create("/relative")));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new HttpTransport(URI.create("http://h"), "two words", Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertFalse(e.getMessage().contains("two words"));
    }
}
