package io.runlog.store;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The store's one background agent: moves committed points from every open experiment's ring
 * into its journal, in batches. It only ever takes an experiment's lock with {@code tryLock}, so
 * it never waits behind a reader or a cold write; producers never wait for it unless a ring is
 * full, and then they help drain (see {@link ExperimentEngine#claimSlow}).
 *
 * <p>Idle policy: spin briefly, yield, then park from 1 µs up to 1 ms; a busy ring is drained
 * every cycle, an idle store costs about a thousand wake-ups a second.
 */
public final class Drainer implements Agent {
    private final CopyOnWriteArrayList<ExperimentEngine> engines = new CopyOnWriteArrayList<>();
    private final AgentRunner runner;
    private boolean started;

    public Drainer() {
        this.runner = new AgentRunner(new BackoffIdleStrategy(20, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1)), Throwable::printStackTrace, null, this);
    }

    public void start() {
        started = true;
        final Thread t = new Thread(runner, "runlog-drainer");
        t.setDaemon(true);
        t.start();
    }

    void register(final ExperimentEngine engine) {
        engines.add(engine);
    }

    void deregister(final ExperimentEngine engine) {
        engines.remove(engine);
    }

    @Override
    public int doWork() {
        int work = 0;
        for (final ExperimentEngine engine : engines) {
            work += engine.drainInBackground();
        }
        return work;
    }

    @Override
    public String roleName() {
        return "runlog-drainer";
    }

    /** Stops the thread and waits for it; engines are drained by their own close afterwards. */
    public void close() {
        if (started) {
            runner.close();
        }
    }
}
