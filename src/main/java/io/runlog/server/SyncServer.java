package io.runlog.server;

import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A whole sync server (what {@code runlog serve} runs): a Jetty server with one connector
 * (HTTP, or HTTPS from a PKCS#12 keystore), the {@link SyncHandler}, the store it opens on
 * {@code dir} and closes on {@link #close()}, the {@link IngestionGate} of
 * {@link ServerOptions#rateLimits()}, and the key file, reread when it changes (so keys added by
 * {@code runlog keys add} work without a restart). The connector's idle timeout
 * ({@link ServerOptions#idleTimeoutMillis()}) cuts off clients that stop sending.
 */
public final class SyncServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final RunlogStore store;
    private final boolean tls;

    private SyncServer(final Server server, final ServerConnector connector, final RunlogStore store, final boolean tls) {
        this.server = server;
        this.connector = connector;
        this.store = store;
        this.tls = tls;
    }

    /**
     * Opens (or creates) the store and starts serving.
     *
     * @param bind             the address and port (port 0: an ephemeral port, see {@link #port()})
     * @param keystore         a PKCS#12 keystore for TLS, or null for plain HTTP
     * @param keystorePassword its password (null without a keystore)
     * @throws StoreAccessException if the port cannot be bound or the keystore not read
     */
    public static SyncServer start(final Path dir, final StoreOptions storeOptions, final InetSocketAddress bind,
                                   final Path keyFile, final ServerOptions options, final Path keystore,
                                   final char[] keystorePassword) {
        final RunlogStore store = RunlogStore.open(dir, storeOptions);
        final QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("runlog-serve");
        threads.setDaemon(true);
        final Server server = new Server(threads);
        final HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // metric names may hold '/', sent as %2F inside one path segment
        http.setUriCompliance(UriCompliance.DEFAULT.with("runlog", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        final ServerConnector connector;
        if (keystore != null) {
            http.addCustomizer(new SecureRequestCustomizer(false));
            final SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(new String(keystorePassword));
            connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(bind.getHostString());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(options.idleTimeoutMillis());
        server.addConnector(connector);
        final RateLimits limits = options.rateLimits();
        final IngestionGate gate = new IngestionGate(limits, options.clock());
        try {
            server.setHandler(new SyncHandler(store, new ReloadingKeys(keyFile), gate, options));
            server.setErrorHandler(new ProblemErrorHandler()); // Jetty's own refusals as problems too, not HTML
            server.setStopTimeout(2_000);
            server.start();
        } catch (final Exception e) {
            try {
                server.stop();
            } catch (final Exception ignored) {
                // already failing
            }
            store.close();
            final Throwable cause = e.getCause();
            throw new StoreAccessException("cannot start the sync server on " + bind.getHostString() + ":" + bind.getPort()
                + ": " + e.getMessage() + (cause != null && cause.getMessage() != null
                && !java.util.Objects.equals(cause.getMessage(), e.getMessage()) ? " (" + cause.getMessage() + ")" : ""), e);
        }
        return new SyncServer(server, connector, store, keystore != null);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL clients use, for example {@code http://127.0.0.1:8080}. */
    public String url() {
        final String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return (tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The store it serves (for tests and embedding). */
    public RunlogStore store() {
        return store;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops serving (requests in flight get up to 2 s), then closes the store. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (final Exception e) {
            throw new StoreAccessException("cannot stop the sync server: " + e.getMessage(), e);
        } finally {
            store.close();
        }
    }

    /** The key file, reread when its modification time or size changes. */
    private static final class ReloadingKeys implements SyncHandler.KeySource {
        private final Path file;
        private volatile ApiKeys keys;
        private volatile String stamp;

        ReloadingKeys(final Path file) {
            this.file = file;
            this.keys = ApiKeys.load(file);
            this.stamp = stamp();
        }

        private String stamp() {
            try {
                if (!Files.exists(file)) {
                    return "absent";
                }
                final FileTime t = Files.getLastModifiedTime(file);
                return t.toMillis() + ":" + Files.size(file);
            } catch (final java.io.IOException e) {
                return "unreadable";
            }
        }

        @Override
        public ApiKeys keys() {
            final String now = stamp();
            if (!now.equals(stamp)) {
                synchronized (this) {
                    if (!now.equals(stamp)) {
                        keys = ApiKeys.load(file);
                        stamp = now;
                    }
                }
            }
            return keys;
        }
    }
}
