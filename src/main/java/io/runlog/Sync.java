package io.runlog;

import io.runlog.sync.Uploader;

import java.time.Duration;

/**
 * Ships a store's experiments to a sync server (docs/sync.md), in the background, from the
 * process that logs into the store or from another one that follows it.
 *
 * <p>Typical use in a harness:
 * <pre>{@code
 * try (RunlogStore store = RunlogStore.open(dir);
 *      Sync sync = Sync.start(store, new SyncOptions(URI.create("http://tracker:8080"), apiKey));
 *      Experiment run = store.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("r1")) {
 *     ... run.log(...) as always: the hot path does not change ...
 *     sync.awaitSynced(Duration.ofMinutes(1));   // optional, at the end of the run
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Exactly once.</b> What the server holds of each experiment is a prefix of every stream
 *       of the local one, with nothing twice, whatever fails (network, server, this process); see
 *       docs/sync.md.</li>
 *   <li><b>Never gives up</b> on network errors or {@code 5xx}: exponential backoff with full
 *       jitter, capped ({@link SyncOptions#backoff}); never sends before a {@code Retry-After}.</li>
 *   <li><b>Bounded memory</b>: one segment ({@link SyncOptions#maxSegmentBytes}) at a time; the
 *       backlog stays in the store.</li>
 *   <li><b>Close does not wait</b>: {@link #close()} abandons what is in flight; the next sync
 *       started on the store ships what is left, from the server's mark.</li>
 * </ul>
 * Stops for good only on an API-key refusal ({@link SyncAuthException}, shown by
 * {@link #status()} and thrown by {@link #awaitSynced}); an experiment the server refuses (a hard
 * limit, a conflict) is skipped and named in the status while the others go on.
 *
 * <p>Thread-safe. One daemon thread ({@code runlog-sync}) per sync.
 */
public final class Sync implements AutoCloseable {
    private final Uploader uploader;
    private final Thread thread;

    private Sync(final Uploader uploader, final Thread thread) {
        this.uploader = uploader;
        this.thread = thread;
    }

    /**
     * Starts shipping the store's experiments (every one, or those {@link SyncOptions#project} and
     * {@link SyncOptions#experiment} select), including those created later. A store opened with
     * {@link RunlogStore#openReadOnly} is followed while another process writes it; the throttle
     * flag is then left to the writer and the server (the listener still hears every episode).
     */
    public static Sync start(final RunlogStore store, final SyncOptions options) {
        if (store == null || options == null) {
            throw new InvalidValueException("Sync.start needs a store and options");
        }
        if (store.isClosed()) {
            throw new ClosedException("store " + store.directory() + " is closed");
        }
        final boolean writable = !store.isReadOnly();
        final Uploader u = new Uploader(store, writable, options.server(), options.apiKey(), options.clock(),
            options.sleeper(), options.markDirectory(), options.throttleListener(), options.backoffBaseNanos(),
            options.backoffCapNanos(), options.seed(), options.maxSegmentBytes(), options.pollInterval(),
            options.connectTimeout(), options.requestTimeout(), options.project(), options.experiment(),
            options.follow());
        final Thread t = new Thread(u, "runlog-sync");
        t.setDaemon(true);
        t.start();
        return new Sync(u, t);
    }

    /** What the sync knows now. */
    public SyncStatus status() {
        return uploader.status();
    }

    /**
     * Waits until everything logged before this call is acknowledged by the server (for the end
     * of a run).
     *
     * @return true if so; false if the timeout passed first, or the sync ended (closed, or without
     *         follow once synced earlier)
     * @throws SyncException the refusal that stopped the sync (for example {@link SyncAuthException})
     */
    public boolean awaitSynced(final Duration timeout) throws InterruptedException {
        return uploader.awaitSynced(timeout);
    }

    /** Looks for new data now instead of at the next poll. */
    public void wake() {
        uploader.wake();
    }

    /** Waits for a sync without follow to finish (or the timeout); true if it did. */
    public boolean join(final Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /**
     * Stops the sync without waiting for unsent data (it ships at the next start). Returns once
     * the worker thread has left the store (within about 50 ms unless it is inside one export).
     */
    @Override
    public void close() {
        uploader.stop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(10_000);
                break;
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
