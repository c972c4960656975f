package io.runlog.sync;

import io.runlog.RunlogStore;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncHandler;
import org.agrona.concurrent.EpochClock;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real sync server (i14-srv's {@link SyncHandler}) on loopback, in this JVM, over its own store,
 * with the gate on a clock the test chooses (the client's simulated one in throttling tests), and a
 * record of every exchange: when (on that clock), which data type the client said it sent, the
 * status and the Retry-After answered. It can be stopped and started again on the same port (an
 * outage). Not a mock: every byte is handled by the production handler.
 */
final class TestSyncServer implements AutoCloseable {
    /** One exchange as the server saw it. */
    record Exchange(long atMillis, String method, String type, int status, String retryAfter) {
    }

    private final Path dir;
    private final Path keyFile;
    private final EpochClock clock;
    private final RateLimits limits;
    private final ServerOptions options;
    private final List<Exchange> exchanges = new ArrayList<>();
    private RunlogStore store;
    private Server jetty;
    private IngestionGate gate;
    private int port;

    TestSyncServer(final Path dir, final Path keyFile, final EpochClock clock, final RateLimits limits,
                   final ServerOptions options) {
        this.dir = dir;
        this.keyFile = keyFile;
        this.clock = clock;
        this.limits = limits;
        // Retry-After on the gate's clock; the limits the problem bodies and RateLimit-Policy name are the gate's
        this.options = limits == null ? options.clock(clock) : options.clock(clock).rateLimits(limits);
    }

    /** Starts (again); the first start takes an ephemeral port, later ones reuse it. */
    TestSyncServer start() throws Exception {
        store = RunlogStore.open(dir);
        gate = limits == null ? null : new IngestionGate(limits, clock, n -> { });
        final SyncHandler handler = new SyncHandler(store, ApiKeys.load(keyFile), gate, options);
        jetty = new Server();
        final ServerConnector c = new ServerConnector(jetty);
        c.setHost("127.0.0.1");
        c.setPort(port);
        c.setReuseAddress(true);
        jetty.addConnector(c);
        jetty.setHandler(new Handler.Wrapper(handler) {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback)
                throws Exception {
                final long at = clock.time();
                final Fields q = Request.extractQueryParameters(request);
                final String type = q.getValue("type");
                final String method = request.getMethod();
                return super.handle(request, response, new Callback.Nested(callback) {
                    @Override
                    public void succeeded() {
                        record(new Exchange(at, method, type, response.getStatus(),
                            response.getHeaders().get("Retry-After")));
                        super.succeeded();
                    }

                    @Override
                    public void failed(final Throwable x) {
                        record(new Exchange(at, method, type, -1, null));
                        super.failed(x);
                    }
                });
            }
        });
        jetty.start();
        port = c.getLocalPort();
        return this;
    }

    private void record(final Exchange e) {
        synchronized (exchanges) {
            exchanges.add(e);
        }
    }

    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** The server's store while it runs. */
    RunlogStore store() {
        return store;
    }

    /** Stops serving and closes the store (an outage, or the end). */
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
            jetty = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
