package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each bad upload gets its status and a problem body naming what was wrong, and stores nothing. */
class ServerBadInputTest {
    @TempDir
    Path dir;

    private String key;
    private byte[] segment;

    private SyncServer start(final ServerOptions options) throws Exception {
        final Path keys = dir.resolve("keys");
        key = ApiKeys.add(keys, "p");
        try (RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            for (int i = 0; i < 3_000; i++) {
                e.log("loss", i, Math.sin(i));
            }
            segment = ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null);
        }
        return ServerFixture.start(dir, keys, options);
    }

    private static void assertNothingStored(final SyncServer s) throws Exception {
        assertTrue(s.store().projects().isEmpty(), "nothing stored");
        try (var files = Files.list(s.store().directory().resolve("sync-spool"))) {
            assertEquals(0, files.count(), "no spooled body left behind");
        }
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413BeforeReadingIt() throws Exception {
        try (SyncServer s = start(new ServerOptions().maxBodyBytes(4096))) {
            assertTrue(segment.length > 4096);
            final HttpClient c = ServerFixture.client();
            final HttpResponse<String> r = ServerFixture.post(c, ServerFixture.segments(s, "p", "run"), key, segment);
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"type\":\"https://runlog.io/problems/body-too-large\""), r.body());
            assertTrue(r.body().contains("\"limit\":\"maxBodyBytes\",\"limitValue\":4096"), r.body());
            // chunked, without a Content-Length: refused once it passes the limit
            final HttpRequest chunked = HttpRequest.newBuilder(URI.create(ServerFixture.segments(s, "p", "run")))
                .header("Authorization", "Bearer " + key).header("Content-Type", ServerFixture.TYPE)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(segment))).build();
            final HttpResponse<String> rc = c.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, rc.statusCode(), rc.body());
            assertNothingStored(s);
        }
    }

    @Test
    void shouldRefuseGarbageAndADamagedArchiveWith400NamingTheOffset() throws Exception {
        try (SyncServer s = start(new ServerOptions())) {
            final HttpClient c = ServerFixture.client();
            final String url = ServerFixture.segments(s, "p", "run");
            final HttpResponse<String> garbage = ServerFixture.post(c, url, key,
                "{\"not\":\"an archive\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, garbage.statusCode(), garbage.body());
            assertTrue(garbage.body().contains("damaged-archive") && garbage.body().contains("\"offset\":"), garbage.body());
            final byte[] damaged = segment.clone();
            final int at = damaged.length / 2;
            damaged[at] ^= 0x40;
            final HttpResponse<String> r = ServerFixture.post(c, url, key, damaged);
            assertEquals(400, r.statusCode(), r.body());
            final Matcher m = Pattern.compile("\"offset\":(\\d+)").matcher(r.body());
            assertTrue(m.find(), r.body());
            final long offset = Long.parseLong(m.group(1));
            assertTrue(offset > 16 && offset <= at, "offset " + offset + " of the damaged block, at or before byte " + at);
            assertTrue(r.body().contains("CRC32C"), r.body());
            assertFalse(r.body().contains("sync-spool"), "the problem names the body, not the server's files: " + r.body());
            assertTrue(garbage.body().contains("\"detail\":\"the segment: not a Runlog archive"), garbage.body());
            final HttpResponse<String> truncated = ServerFixture.post(c, url, key,
                java.util.Arrays.copyOf(segment, segment.length - 5));
            assertEquals(400, truncated.statusCode());
            assertTrue(truncated.body().contains("truncated"), truncated.body());
            assertNothingStored(s);
        }
    }

    @Test
    void shouldRefuseAnotherMediaTypeAndBadNamesAndUnknownRoutes() throws Exception {
        try (SyncServer s = start(new ServerOptions())) {
            final HttpClient c = ServerFixture.client();
            final HttpRequest wrongType = HttpRequest.newBuilder(URI.create(ServerFixture.segments(s, "p", "run")))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(segment)).build();
            final HttpResponse<String> r = c.send(wrongType, HttpResponse.BodyHandlers.ofString());
            assertEquals(415, r.statusCode(), r.body());
            assertEquals(400, ServerFixture.post(c, ServerFixture.segments(s, "p", "bad%20key"), key, segment).statusCode());
            assertEquals(404, ServerFixture.get(c, s.url() + "/v1/nothing", key).statusCode());
            assertEquals(404, ServerFixture.get(c, s.url() + "/v1/projects/p/experiments/run/nothing", key).statusCode());
            assertNothingStored(s);
        }
    }

    @Test
    void shouldCutOffAClientThatStopsSendingAndStoreNothing() throws Exception {
        try (SyncServer s = start(new ServerOptions().idleTimeoutMillis(300));
             Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(20_000); // the test's own bound; the server's idle timeout acts far sooner
            final OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/projects/p/experiments/run/segments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Type: " + ServerFixture.TYPE + "\r\n"
                + "Content-Length: " + segment.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(segment, 0, 100);
            out.flush();
            final InputStream in = socket.getInputStream();
            final String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // ends when the server closes
            System.out.println("slow client got: " + answer.lines().findFirst().orElse("(closed)"));
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"),
                "closed, or answered with a timeout: " + answer);
            assertNothingStored(s);
        }
    }
}
