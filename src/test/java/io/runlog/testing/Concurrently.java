package io.runlog.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a body on several threads that start together (a barrier, not a sleep) and waits for all
 * of them; the first failure of any thread fails the caller.
 */
public final class Concurrently {
    /** The work of one thread, given its id (0 to threads - 1). */
    @FunctionalInterface
    public interface Body {
        void run(int id) throws Exception;
    }

    private Concurrently() {
    }

    public static void run(final int threads, final Body body) throws InterruptedException {
        final CyclicBarrier start = new CyclicBarrier(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            final Thread w = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "concurrently-" + t);
            workers.add(w);
            w.start();
        }
        for (final Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed: " + failure.get(), failure.get());
        }
    }
}
