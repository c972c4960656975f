package io.runlog.server;

import io.runlog.RunlogStore;
import io.runlog.gate.IngestionGate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The sync protocol (docs/sync.md) as a Jetty 12 core {@link Handler}: uploads of segments,
 * the resume mark, and the JSON reads, over a {@link RunlogStore} the caller opened and closes.
 * Mount it under the server's root (it answers paths from {@code /v1/}). Thread-safe: Jetty
 * calls it from many threads; imports of one experiment are serialised by the store.
 */
public final class SyncHandler extends Handler.Abstract {
    /**
     * @param store   the server's store (the caller owns it)
     * @param keys    the API keys
     * @param gate    the rate limits for online experiments (its clock and limits; null: none)
     * @param options sizes and defaults
     */
    public SyncHandler(final RunlogStore store, final ApiKeys keys, final IngestionGate gate, final ServerOptions options) {
        throw new UnsupportedOperationException("next commit");
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
        throw new UnsupportedOperationException("next commit");
    }
}
