package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runlog keys add} in-process, {@code runlog serve} as a real child JVM on a loopback port. */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) ");

    @TempDir
    Path dir;

    @Test
    void shouldPrintANewKeyOnceAndStoreOnlyItsHash() throws Exception {
        final Path keys = dir.resolve("keys.txt");
        final CliRunner.Result a = CliRunner.run("keys", "add", "--keys", keys.toString(), "--project", "p");
        assertEquals(0, a.exit(), a::toString);
        final String key = a.out().strip();
        assertTrue(key.matches("rlk_[A-Za-z0-9_-]{43}"), key);
        assertTrue(a.err().contains("shown only this once"), a::toString);
        final String file = Files.readString(keys);
        assertFalse(file.contains(key.substring(4)), "the key file holds no key");
        assertTrue(file.startsWith("p\t"), file);
        final CliRunner.Result b = CliRunner.run("keys", "add", "--keys", keys.toString(), "--project", "p");
        assertFalse(b.out().strip().equals(key), "a new random key each time");
        assertEquals(2, Files.readAllLines(keys).size());
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys)));
        }
        final CliRunner.Result bad = CliRunner.run("keys", "add", "--keys", keys.toString(), "--project", "no spaces");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("project name"), bad::toString);
    }

    @Test
    void shouldRefuseABadPortAMissingKeyFileAndATakenPortWithOneLineErrors() throws Exception {
        final Path keys = dir.resolve("keys.txt");
        final Path store = dir.resolve("s");
        final CliRunner.Result badPort = CliRunner.run("serve", "--dir", store.toString(), "--port", "70000", "--keys",
            keys.toString());
        assertEquals(2, badPort.exit(), badPort::toString);
        assertTrue(badPort.err().contains("--port must be 0 (any free port) to 65535, got 70000"), badPort::toString);
        final CliRunner.Result smallBody = CliRunner.run("serve", "--dir", store.toString(), "--port", "0", "--keys",
            keys.toString(), "--max-body", "0");
        assertEquals(2, smallBody.exit(), smallBody::toString);
        assertTrue(smallBody.err().contains("--max-body must be at least"), smallBody::toString);
        final CliRunner.Result noKeys = CliRunner.run("serve", "--dir", store.toString(), "--port", "0", "--keys",
            keys.toString());
        assertEquals(1, noKeys.exit(), noKeys::toString);
        assertTrue(noKeys.err().contains("key file " + keys + " does not exist"), noKeys::toString);
        assertEquals(0, CliRunner.run("keys", "add", "--keys", keys.toString(), "--project", "p").exit());
        final CliRunner.Result noPassword = CliRunner.run("serve", "--dir", store.toString(), "--port", "0", "--keys",
            keys.toString(), "--keystore", dir.resolve("k.p12").toString(), "--keystore-password-file",
            dir.resolve("missing").toString());
        assertEquals(1, noPassword.exit(), noPassword::toString);
        assertTrue(noPassword.err().contains("no such file"), noPassword::toString);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            final CliRunner.Result inUse = CliRunner.run("serve", "--dir", store.toString(), "--port",
                Integer.toString(taken.getLocalPort()), "--keys", keys.toString());
            assertEquals(1, inUse.exit(), inUse::toString);
            assertTrue(inUse.err().contains("127.0.0.1:" + taken.getLocalPort() + ":"), inUse::toString);
            assertTrue(inUse.err().toLowerCase(java.util.Locale.ROOT).contains("address already in use"), inUse::toString);
            assertFalse(inUse.err().contains("Exception"), inUse::toString);
        }
    }

    @Test
    void shouldRefuseBadRateLimitOptions() {
        final CliRunner.Result r = CliRunner.run("serve", "--dir", dir.resolve("s").toString(), "--port", "0", "--keys",
            dir.resolve("k").toString(), "--rate-limit", "PICTURES=5");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown data type 'PICTURES'"), r::toString);
        final CliRunner.Result n = CliRunner.run("serve", "--dir", dir.resolve("s").toString(), "--port", "0", "--keys",
            dir.resolve("k").toString(), "--rate-limit", "METRICS=-3");
        assertEquals(2, n.exit(), n::toString);
        assertTrue(n.err().contains("or 'unlimited'"), n::toString);
    }

    @Test
    void shouldServeUploadsWithTheGivenLimitsUntilStopped() throws Exception {
        final Path keys = dir.resolve("keys.txt");
        final String key = CliRunner.run("keys", "add", "--keys", keys.toString(), "--project", "p").out().strip();
        try (ChildJvm.Child child = ChildJvm.of(RunlogCommand.class, dir.resolve("child"))
            .args("serve", "--dir", dir.resolve("server"), "--port", "0", "--keys", keys, "--disk-reserve", "0",
                "--rate-limit", "METRICS=unlimited", "--rate-limit", "OUTPUT=5", "--submissions-per-hour", "1000")
            .start()) {
            child.await("listening", Duration.ofMinutes(2), () -> LISTENING.matcher(child.output()).find());
            final Matcher m = LISTENING.matcher(child.output());
            assertTrue(m.find());
            final String url = m.group(1);
            final byte[] body;
            try (RunlogStore local = RunlogStore.open(dir.resolve("local"), CliRunner.options());
                 Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
                for (int i = 0; i < 100_000; i++) {
                    e.log("loss", i, 1.0 / (i + 1));
                }
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                e.exportIncrement(out, HighWaterMark.EMPTY, new IncrementOptions());
                body = out.toByteArray();
            }
            final HttpClient c = HttpClient.newHttpClient();
            final HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url
                + "/v1/projects/p/experiments/e/segments")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/vnd.runlog.archive").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body() + child.output());
            assertEquals(100_000, HighWaterMark.fromJson(r.body()).points());
            assertEquals("\"parameters\";q=10000;w=60, \"output\";q=5;w=60, \"other\";q=8000;w=60, \"submissions\";q=1000;w=3600",
                r.headers().firstValue("RateLimit-Policy").orElse(""));
            assertFalse(child.output().contains(key), "the server never logs a key");
            child.process().destroy(); // SIGTERM: the shutdown hook closes the store
            assertEquals(143, child.awaitExit(Duration.ofMinutes(1)), child.output());
        }
        try (RunlogStore server = RunlogStore.open(dir.resolve("server"), CliRunner.options());
             Experiment e = server.project("p").openExperiment("e")) {
            assertEquals(100_000, e.pointCount());
        }
    }
}
