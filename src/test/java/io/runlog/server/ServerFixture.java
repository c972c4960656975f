package io.runlog.server;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.StoreOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Test helpers: a real server on a loopback ephemeral port, and a JDK HttpClient speaking the protocol. */
final class ServerFixture {
    static final String TYPE = "application/vnd.runlog.archive";

    private ServerFixture() {
    }

    static StoreOptions storeOptions() {
        return new StoreOptions().diskReserveBytes(0);
    }

    static SyncServer start(final Path dir, final Path keys, final ServerOptions options) {
        return SyncServer.start(dir.resolve("server-store"), storeOptions(), new InetSocketAddress("127.0.0.1", 0), keys,
            options, null, null);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    static String segments(final SyncServer s, final String project, final String experiment) {
        return s.url() + "/v1/projects/" + project + "/experiments/" + experiment + "/segments";
    }

    static HttpResponse<String> post(final HttpClient c, final String url, final String key, final byte[] body)
        throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
            .header("Content-Type", TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(final HttpClient c, final String url, final String key)
        throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An increment of {@code e} from {@code from}, in memory. */
    static byte[] increment(final Experiment e, final HighWaterMark from, final IncrementOptions options,
                            final IncrementResult[] result) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final IncrementResult r = e.exportIncrement(out, from, options);
        if (result != null) {
            result[0] = r;
        }
        return out.toByteArray();
    }
}
