package io.runlog.store;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The store's one background agent: moves committed points from every open experiment's ring
 * into its journal, in batches. It only ever takes an experiment's lock with {@code tryLock}, so
 * it never waits behind a reader or a cold write; producers never wait for it unless a ring is
 * full, and then they help drain (see {@link RingDrain#claimSlow}).
 *
 * <p>Idle policy: spin briefly, yield, then park from 1 µs up to 1 ms; a busy ring is drained
 * every cycle, an idle store costs about a thousand wake-ups a second.
 *
 * <p>Standing aside. A producer that logs faster than any drain keeps its ring at least half
 * full even with the drainer's help, and once the ring is full drains it itself, a batch at a
 * time ({@link RingDrain#producersOutpaceTheDrain}). While as many distinct producer
 * threads as the machine has cores outpace the drain (one thread logging to two rings counts
 * once: it takes one core), every core already runs a producer that can drain its own ring: the
 * drainer would only take one of those cores from them and take turns with them at their locks,
 * so it leaves those rings alone (it keeps draining the others), and the producers drain them
 * when full. With fewer such producers than cores it drains their rings too, on a core no
 * producer uses. Measured (docs/BENCHMARKS.md, two threads): two saturated producers on two
 * cores logged 1.09x what one does without this rule, the drainer taking a third of the cores.
 */
public final class Drainer implements Agent {
    private final CopyOnWriteArrayList<RingDrain> rings = new CopyOnWriteArrayList<>();
    private final AgentRunner runner;
    private final NanoClock clock;
    private final int cores;
    /** Drainer thread only: whether the last cycle found a core's worth of rings drained by their producers. */
    private boolean standAside;
    /** Drainer thread only: the distinct producer threads that drained their rings this cycle (first {@link #cores}). */
    private final long[] drainingThreads;
    private boolean started;

    /**
     * @param clock the store's clock, for how recently a producer drained its own ring
     * @param cores the cores the store's producers and the drainer share (normally
     *              {@link Runtime#availableProcessors()})
     */
    public Drainer(final NanoClock clock, final int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        }
        this.clock = clock;
        this.cores = cores;
        this.drainingThreads = new long[cores];
        this.runner = new AgentRunner(new BackoffIdleStrategy(20, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1)), Throwable::printStackTrace, null, this);
    }

    public void start() {
        started = true;
        final Thread t = new Thread(runner, "runlog-drainer");
        t.setDaemon(true);
        t.start();
    }

    void register(final RingDrain ring) {
        rings.add(ring);
    }

    void deregister(final RingDrain ring) {
        rings.remove(ring);
    }

    @Override
    public int doWork() {
        final long now = clock.nanoTime();
        final boolean standAside = this.standAside;
        int drainingProducers = 0; // distinct threads: one thread draining two rings takes one core, not two
        int work = 0;
        for (final RingDrain ring : rings) {
            if (ring.producersOutpaceTheDrain(now)) {
                drainingProducers = countThread(ring.producerThread(), drainingProducers);
                if (standAside) {
                    continue;
                }
            }
            work += ring.drainInBackground();
        }
        this.standAside = drainingProducers >= cores;
        return work;
    }

    /** Adds {@code thread} to the first {@code n} of {@link #drainingThreads} unless there, or full; the new count. */
    private int countThread(final long thread, final int n) {
        final long[] threads = drainingThreads;
        if (n == threads.length) {
            return n;
        }
        for (int i = 0; i < n; i++) {
            if (threads[i] == thread) {
                return n;
            }
        }
        threads[n] = thread;
        return n + 1;
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
