package io.runlog.sync;

import io.runlog.internal.StoreAccess;
import io.runlog.ClosedException;
import io.runlog.Experiment;
import io.runlog.NotFoundException;
import io.runlog.Project;
import io.runlog.RunlogStore;
import io.runlog.SyncClock;
import io.runlog.SyncException;
import io.runlog.SyncSleeper;
import io.runlog.SyncStatus;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleListener;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: the sync's worker. One thread runs {@link #run()}: rounds over the store's
 * experiments, each shipping what the server does not hold yet ({@link ExperimentShipper}), until
 * it is stopped, or (without follow) until a round finds everything acknowledged.
 *
 * <p><b>Memory</b> is one segment at a time (at most {@code maxSegmentBytes}, or one item with its
 * payload if that is larger), plus a few hundred bytes per experiment: the backlog stays in the
 * store, which is the spool.
 *
 * <p><b>Waits:</b> every request first waits for the global backoff (after a network error or a
 * {@code 5xx}); a type refused with {@code 429} waits for its {@code Retry-After} alone while the
 * other types go on. Waits read the {@link SyncClock} after each sleep, so no request leaves
 * before its deadline even if the {@link SyncSleeper} returns early.
 *
 * <p>{@link #status()} and {@link #awaitSynced} may be called from any thread.
 */
public final class Uploader implements Runnable {
    /** Unwinds a round after a network error or a 5xx (the backoff is already set). */
    static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;

        Transient(final String message) {
            super(message, null, false, false);
        }
    }

    /** Unwinds the worker after a refusal that stops everything (the API key). */
    static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final SyncException cause;

        Fatal(final SyncException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    private final RunlogStore store;
    private final boolean writable;
    private final HttpTransport transport;
    private final SyncClock clock;
    private final SyncSleeper sleeper;
    private final MarkStore marks;
    private final ThrottleNotices notices;
    private final RetryPolicy policy;
    private final long maxSegmentBytes;
    private final long pollNanos;
    private final boolean follow;
    private final String onlyProject;
    private final String onlyExperiment;
    private final Map<String, ExperimentShipper> shippers = new LinkedHashMap<>();
    private final Object monitor = new Object();

    private volatile boolean stopping;
    private volatile Thread worker;
    private long nextAttemptNanos;
    private boolean waitRequested;
    // status, guarded by monitor
    private long roundsStarted;
    private long lastSyncedRound = -1;
    private long sentBytes;
    private long segments;
    private long attempts;
    private long lagPoints;
    private long lagEntries;
    private long lagBytes;
    private long acknowledgedPoints;
    private String lastError;
    private long lastErrorAt;
    private long nextAttemptAtMillis;
    private boolean synced;
    private SyncException failure;
    private boolean finished;

    /**
     * @param writable true if this process writes the store (the throttle flag is raised locally),
     *                 false for a read-only follower
     */
    public Uploader(final RunlogStore store, final boolean writable, final URI server, final String apiKey,
                    final SyncClock clock, final SyncSleeper sleeper, final java.nio.file.Path markDirectory,
                    final ThrottleListener listener, final long backoffBase, final long backoffCap, final long seed,
                    final long maxSegmentBytes, final Duration poll, final Duration connectTimeout,
                    final Duration requestTimeout, final String project, final String experiment, final boolean follow) {
        this.store = store;
        this.writable = writable;
        this.transport = new HttpTransport(server, apiKey, connectTimeout, requestTimeout);
        this.clock = clock;
        this.sleeper = sleeper;
        this.marks = new MarkStore(StoreAccess.fileSystem(StoreAccess.engine(store).options()),
            markDirectory != null ? markDirectory : store.directory().resolve(MarkStore.DEFAULT_DIR));
        this.notices = new ThrottleNotices(keyId(apiKey), listener);
        this.policy = new RetryPolicy(backoffBase, backoffCap, seed);
        this.maxSegmentBytes = maxSegmentBytes;
        this.pollNanos = poll.toNanos();
        this.follow = follow;
        this.onlyProject = project;
        this.onlyExperiment = experiment;
        this.nextAttemptNanos = clock.nanoTime();
    }

    /** How notices name an API key: {@code sha256:} and the first 12 hex digits of its hash. */
    static String keyId(final String apiKey) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the worker

    @Override
    public void run() {
        worker = Thread.currentThread();
        try {
            while (!stopping && !store.isClosed()) {
                final long round;
                synchronized (monitor) {
                    round = ++roundsStarted;
                    waitRequested = false;
                }
                final RoundResult r = round();
                publish(round, r);
                if (r.synced && !follow) {
                    return;
                }
                if (r.progress) {
                    continue;
                }
                final long now = clock.nanoTime();
                long until = now + pollNanos;
                if (!r.synced && r.earliest != Long.MAX_VALUE) {
                    until = Math.min(until, r.earliest);
                }
                until = Math.max(until, nextAttemptNanos);
                waitUntil(until, true);
            }
        } catch (final Fatal f) {
            synchronized (monitor) {
                failure = f.cause;
                noteErrorLocked(f.cause.getMessage());
            }
        } catch (final InterruptedException | ClosedException e) {
            // stopped, or the store was closed under us: what is unsent ships at the next start
        } finally {
            synchronized (monitor) {
                finished = true;
                nextAttemptAtMillis = 0;
                monitor.notifyAll();
            }
        }
    }

    private record RoundResult(boolean synced, boolean progress, long earliest) {
    }

    private RoundResult round() throws InterruptedException {
        boolean allSynced = true;
        boolean progress = false;
        long earliest = Long.MAX_VALUE;
        for (final String[] target : targets()) {
            if (stopping) {
                throw new InterruptedException("stopping");
            }
            final String id = target[0] + "\n" + target[1];
            final ExperimentShipper s = shippers.computeIfAbsent(id, k -> new ExperimentShipper(this, target[0], target[1]));
            if (s.failure() != null) {
                continue;
            }
            final ExperimentShipper.Outcome o;
            try (Experiment e = store.project(target[0]).openExperiment(target[1])) {
                o = s.step(e, writable);
            } catch (final Transient t) {
                return new RoundResult(false, false, nextAttemptNanos);
            } catch (final NotFoundException gone) {
                continue;
            } catch (final ClosedException | Fatal stop) {
                throw stop;
            } catch (final RuntimeException local) {
                // the local store could not be read (for example a read-only follower of an experiment
                // whose source id the writer has not created yet): try again next round
                noteError("cannot read " + target[0] + "/" + target[1] + " locally: " + local.getMessage());
                allSynced = false;
                continue;
            }
            switch (o) {
                case PROGRESS -> {
                    progress = true;
                    allSynced = false;
                }
                case WAITING -> {
                    allSynced = false;
                    earliest = Math.min(earliest, s.earliestRetryNanos());
                }
                case FAILED, SYNCED -> {
                }
            }
        }
        return new RoundResult(allSynced, progress, earliest);
    }

    private List<String[]> targets() {
        final List<String[]> out = new ArrayList<>();
        for (final Project p : store.projects()) {
            if (onlyProject != null && !onlyProject.equals(p.name())) {
                continue;
            }
            for (final String k : p.experimentKeys()) {
                if (onlyExperiment == null || onlyExperiment.equals(k)) {
                    out.add(new String[] {p.name(), k});
                }
            }
        }
        return out;
    }

    private void publish(final long round, final RoundResult r) {
        long lp = 0;
        long le = 0;
        long lb = 0;
        long ack = 0;
        SyncException firstFailure = null;
        for (final ExperimentShipper s : shippers.values()) {
            lp += s.lagPoints;
            le += s.lagEntries;
            lb += s.lagBytes();
            ack += s.acknowledgedPoints;
            if (firstFailure == null && s.failure() != null) {
                firstFailure = s.failure();
            }
        }
        synchronized (monitor) {
            lagPoints = lp;
            lagEntries = le;
            lagBytes = r.synced ? 0 : lb;
            acknowledgedPoints = ack;
            synced = r.synced && firstFailure == null;
            if (r.synced) {
                lastSyncedRound = round;
            }
            monitor.notifyAll();
        }
    }

    /** Waits until the monotonic deadline; a wakeable wait also ends when {@link #wake()} is called. */
    private void waitUntil(final long deadline, final boolean wakeable) throws InterruptedException {
        while (!stopping) {
            final long left = deadline - clock.nanoTime();
            if (left <= 0) {
                return;
            }
            if (wakeable) {
                synchronized (monitor) {
                    if (waitRequested) {
                        return;
                    }
                }
            }
            sleeper.sleepNanos(left);
        }
        throw new InterruptedException("stopping");
    }

    // ------------------------------------------------------------------ requests (worker thread)

    HttpTransport.Reply get(final String project, final String key, final String source)
        throws Transient, InterruptedException {
        return exchange(() -> transport.getAsync(HttpTransport.segmentsPath(project, key) + "?source=" + source), 0);
    }

    /** POST of one segment; {@code type} travels as a query parameter for the server's logs (servers ignore it). */
    HttpTransport.Reply post(final String project, final String key, final String source, final DataType type,
                             final byte[] body) throws Transient, InterruptedException {
        return exchange(() -> transport.postArchiveAsync(HttpTransport.segmentsPath(project, key) + "?source=" + source
            + "&type=" + type.name(), body), body.length);
    }

    private interface Call {
        java.util.concurrent.CompletableFuture<HttpTransport.Reply> start();
    }

    private HttpTransport.Reply exchange(final Call call, final long bytes) throws Transient, InterruptedException {
        waitUntil(nextAttemptNanos, false);
        synchronized (monitor) {
            attempts++;
            sentBytes += bytes;
            nextAttemptAtMillis = 0;
        }
        final java.util.concurrent.CompletableFuture<HttpTransport.Reply> f = call.start();
        try {
            while (true) {
                if (stopping) {
                    f.cancel(true);
                    throw new InterruptedException("stopping");
                }
                try {
                    return f.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (final java.util.concurrent.TimeoutException stillRunning) {
                    // look at the stop flag again
                }
            }
        } catch (final java.util.concurrent.ExecutionException e) {
            final Throwable c = e.getCause();
            throw transientFailure("network error talking to " + transport.server() + ": " + c, -1);
        }
    }

    /** Records a transient failure, sets the backoff; the caller throws the result. */
    Transient transientFailure(final String error, final long retryAfterNanos) {
        final long wait = policy.onFailure(retryAfterNanos);
        nextAttemptNanos = clock.nanoTime() + wait;
        synchronized (monitor) {
            noteErrorLocked(error);
            nextAttemptAtMillis = clock.epochMillis() + wait / 1_000_000;
        }
        return new Transient(error);
    }

    Fatal fatal(final SyncException e) {
        return new Fatal(e);
    }

    void noteError(final String error) {
        synchronized (monitor) {
            noteErrorLocked(error);
        }
    }

    private void noteErrorLocked(final String error) {
        lastError = error;
        lastErrorAt = clock.epochMillis();
    }

    void accepted(final int bytes) {
        policy.onSuccess();
        synchronized (monitor) {
            segments++;
        }
    }

    void learnedMark() {
        policy.onSuccess();
    }

    void throttled(final String project, final String key, final Experiment writableExperiment, final DataType type,
                   final long delayNanos, final long units) {
        final long now = clock.epochMillis();
        notices.refused(project, key, writableExperiment, type, now, now + delayNanos / 1_000_000, units);
        synchronized (monitor) {
            noteErrorLocked("429 for " + type + " of " + project + "/" + key + ": retrying in " + delayNanos / 1_000_000
                + " ms");
        }
    }

    /** A type waits until {@code atNanos}: shown as the next attempt if nothing is sooner. */
    void nextAttemptAt(final long atNanos) {
        final long millis = clock.epochMillis() + Math.max(0, atNanos - clock.nanoTime()) / 1_000_000;
        synchronized (monitor) {
            if (nextAttemptAtMillis == 0 || millis < nextAttemptAtMillis) {
                nextAttemptAtMillis = millis;
            }
        }
    }

    long nanoTime() {
        return clock.nanoTime();
    }

    long epochMillis() {
        return clock.epochMillis();
    }

    URI server() {
        return transport.server();
    }

    MarkStore marks() {
        return marks;
    }

    ThrottleNotices notices() {
        return notices;
    }

    RetryPolicy policy() {
        return policy;
    }

    long maxSegmentBytes() {
        return maxSegmentBytes;
    }

    // ------------------------------------------------------------------ any thread

    /** A snapshot of the status. */
    public SyncStatus status() {
        synchronized (monitor) {
            return new SyncStatus(lagPoints, lagEntries, lagBytes, acknowledgedPoints, sentBytes, segments, attempts,
                notices.episodes(), lastError, lastErrorAt, nextAttemptAtMillis, synced, failure);
        }
    }

    /**
     * Waits until a round that began after this call found everything acknowledged.
     *
     * @return true if synced, false on timeout or if the worker ended first without (see {@link #status()})
     * @throws SyncException the refusal that stopped the sync (an auth failure)
     */
    public boolean awaitSynced(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            final long target = roundsStarted + 1;
            waitRequested = true;
            wakeWorker();
            while (lastSyncedRound < target) {
                if (failure != null) {
                    throw failure;
                }
                if (finished) {
                    return false;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Ends an idle wait early (new data to look at). */
    public void wake() {
        synchronized (monitor) {
            waitRequested = true;
        }
        wakeWorker();
    }

    private void wakeWorker() {
        final Thread w = worker;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
        }
    }

    /**
     * Asks the worker to stop; an exchange in flight is abandoned (its segment is sent again next
     * time). The worker is never interrupted: an interrupt would close the store's file channels
     * it may be reading.
     */
    public void stop() {
        stopping = true;
        wakeWorker();
    }

    /** True once {@link #run()} returned. */
    public boolean finished() {
        synchronized (monitor) {
            return finished;
        }
    }
}
