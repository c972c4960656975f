package io.runlog.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Internal: the sync's HTTP exchanges, on the JDK's {@link HttpClient} (no dependency in a harness).
 *
 * <p>Every request carries {@code Authorization: Bearer KEY}; the key appears in no message,
 * exception or log. A network error (refused, reset, timed out, a reply cut short) is an
 * {@link IOException}: the caller cannot tell whether the server acted on the request, which the
 * protocol makes harmless (an upload is idempotent). Replies are read whole but bounded
 * ({@link #MAX_REPLY_BYTES}): a reply is a mark or a problem document, never data.
 *
 * <p>Thread-safe.
 */
public final class HttpTransport {
    /** Media type of an upload body (docs/sync.md). */
    public static final String ARCHIVE_MEDIA_TYPE = "application/vnd.runlog.archive";
    /** Longest reply body read; longer ones are a protocol error. */
    public static final int MAX_REPLY_BYTES = 1 << 20;

    /** A reply: status, headers and the (bounded) body. */
    public record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public Optional<String> header(final String name) {
            return headers.firstValue(name);
        }

        public List<String> headers(final String name) {
            return headers.allValues(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public RateLimitHeaders rateLimits() {
            return RateLimitHeaders.parse(headers("RateLimit"), headers("RateLimit-Policy"));
        }
    }

    private final URI server;
    private final String authorization;
    private final HttpClient client;
    private final Duration requestTimeout;

    /**
     * @param server         the server's base URI ({@code http://host:port} or with a path prefix)
     * @param apiKey         the API key (sent as a bearer token, never printed)
     * @param connectTimeout how long a connection may take
     * @param requestTimeout how long one exchange may take once connected
     */
    public HttpTransport(final URI server, final String apiKey, final Duration connectTimeout,
                         final Duration requestTimeout) {
        this(server, apiKey, HttpClient.newBuilder().connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build(), requestTimeout);
    }

    public HttpTransport(final URI server, final String apiKey, final HttpClient client, final Duration requestTimeout) {
        final String scheme = server.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || server.getHost() == null) {
            throw new IllegalArgumentException("server URL must be http:// or https:// with a host, got " + server);
        }
        if (apiKey == null || apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("API key must be non-empty printable ASCII without spaces");
        }
        final String s = server.toString();
        this.server = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.authorization = "Bearer " + apiKey;
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    /** The server's base URI. */
    public URI server() {
        return server;
    }

    /** {@code /v1/projects/{project}/experiments/{experiment}/segments}, each name percent-encoded. */
    public static String segmentsPath(final String project, final String experiment) {
        return "/v1/projects/" + pathSegment(project) + "/experiments/" + pathSegment(experiment) + "/segments";
    }

    /** GET of a path under the server. */
    public Reply get(final String path) throws IOException, InterruptedException {
        return send(builder(path).GET().build());
    }

    /** POST of an archive (or increment) body held in memory. */
    public Reply postArchive(final String path, final byte[] body) throws IOException, InterruptedException {
        return send(builder(path).header("Content-Type", ARCHIVE_MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** POST of an archive body streamed from a source of known length (an archive file). */
    public Reply postArchive(final String path, final Supplier<InputStream> body, final long length)
        throws IOException, InterruptedException {
        return send(builder(path).header("Content-Type", ARCHIVE_MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length))
            .build());
    }

    private HttpRequest.Builder builder(final String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).timeout(requestTimeout)
            .header("Authorization", authorization).header("Accept", "application/json, application/problem+json");
    }

    private Reply send(final HttpRequest request) throws IOException, InterruptedException {
        try {
            return sendAsync(request).get();
        } catch (final java.util.concurrent.ExecutionException e) {
            final Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException("exchange with " + request.uri() + " failed: " + c, c);
        }
    }

    /** GET, without blocking: the caller may abandon the future (cancel) when it stops. */
    public java.util.concurrent.CompletableFuture<Reply> getAsync(final String path) {
        return sendAsync(builder(path).GET().build());
    }

    /** POST of an in-memory archive body, without blocking. */
    public java.util.concurrent.CompletableFuture<Reply> postArchiveAsync(final String path, final byte[] body) {
        return sendAsync(builder(path).header("Content-Type", ARCHIVE_MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private java.util.concurrent.CompletableFuture<Reply> sendAsync(final HttpRequest request) {
        return client.sendAsync(request, info -> new BoundedBody(request.uri()))
            .thenApply(r -> new Reply(r.statusCode(), r.headers(), r.body()));
    }

    /** Collects a reply body up to {@link #MAX_REPLY_BYTES}; a longer one fails the exchange. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final java.util.concurrent.CompletableFuture<byte[]> result = new java.util.concurrent.CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final URI uri;
        private java.util.concurrent.Flow.Subscription subscription;

        BoundedBody(final URI uri) {
            this.uri = uri;
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(final java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(final List<java.nio.ByteBuffer> items) {
            for (final java.nio.ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > MAX_REPLY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("reply from " + uri + " is longer than "
                        + MAX_REPLY_BYTES + " bytes"));
                    return;
                }
                final byte[] a = new byte[b.remaining()];
                b.get(a);
                bytes.write(a, 0, a.length);
            }
        }

        @Override
        public void onError(final Throwable t) {
            result.completeExceptionally(t instanceof IOException ? t : new IOException(t.toString(), t));
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    static String pathSegment(final String name) {
        final StringBuilder b = new StringBuilder();
        for (final byte c : name.getBytes(StandardCharsets.UTF_8)) {
            final int u = c & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '.'
                || u == '_' || u == '~') {
                b.append((char) u);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(u & 15, 16)));
            }
        }
        return b.toString();
    }
}
