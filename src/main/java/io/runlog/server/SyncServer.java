package io.runlog.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A whole sync server (what {@code runlog serve} runs): a Jetty server with one connector
 * (HTTP, or HTTPS from a PKCS#12 keystore), the {@link SyncHandler}, the store it opens on
 * {@code dir} and closes on {@link #close()}.
 */
public final class SyncServer implements AutoCloseable {
    private SyncServer() {
    }

    /**
     * Opens the store and starts serving.
     *
     * @param bind             the address and port (port 0: an ephemeral port, see {@link #port()})
     * @param keystore         a PKCS#12 keystore for TLS, or null for plain HTTP
     * @param keystorePassword its password (null without a keystore)
     */
    public static SyncServer start(final Path dir, final InetSocketAddress bind, final Path keyFile,
                                   final ServerOptions options, final Path keystore, final char[] keystorePassword) {
        throw new UnsupportedOperationException("next commit");
    }

    /** The port it listens on. */
    public int port() {
        throw new UnsupportedOperationException("next commit");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("next commit");
    }
}
