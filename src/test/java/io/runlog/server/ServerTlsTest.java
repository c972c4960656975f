package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS from a PKCS#12 keystore with a self-signed certificate this test makes with the JDK's keytool (a child process). */
class ServerTlsTest {
    private static final String PASSWORD = "test-only-password";

    @TempDir
    Path dir;

    static Path makeKeystore(final Path dir) throws IOException, InterruptedException {
        final Path keystore = dir.resolve("server.p12");
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "runlog",
            "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
            "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("keytool.log")));
        return keystore;
    }

    static SSLContext trusting(final Path keystore) throws Exception {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void shouldServeUploadsOverTlsAndRefuseClientsThatDoNotTrustTheCertificate() throws Exception {
        final Path keystore = makeKeystore(dir);
        final Path keys = dir.resolve("keys");
        final String key = ApiKeys.add(keys, "p");
        try (SyncServer s = SyncServer.start(dir.resolve("server-store"), ServerFixture.storeOptions(),
                new InetSocketAddress("127.0.0.1", 0), keys, new ServerOptions(), keystore, PASSWORD.toCharArray());
             RunlogStore local = RunlogStore.open(dir.resolve("local"), ServerFixture.storeOptions());
             Experiment e = local.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("run")) {
            assertTrue(s.url().startsWith("https://127.0.0.1:"), s.url());
            for (int i = 0; i < 1000; i++) {
                e.log("loss", i, 1.0 / (i + 1));
            }
            final HttpClient c = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(Duration.ofSeconds(10))
                .build();
            final HttpResponse<String> r = ServerFixture.post(c, ServerFixture.segments(s, "p", "run"), key,
                ServerFixture.increment(e, HighWaterMark.EMPTY, new IncrementOptions(), null));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1000, HighWaterMark.fromJson(r.body()).points());
            final HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> untrusting.send(HttpRequest.newBuilder(
                URI.create(s.url() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }
}
