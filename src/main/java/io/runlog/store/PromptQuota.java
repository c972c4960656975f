package io.runlog.store;

import io.runlog.HardLimitException;
import io.runlog.internal.Names;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The prompts-per-project hard limit. Internal to the store.
 *
 * <p>A project's count is the sum of its experiments' prompt records, counted from their journals
 * the first time the project takes a prompt after the store opens (so a restart never resets it),
 * then kept in memory: this process holds the store lock, so nothing else adds prompts. A prompt
 * {@link #reserve reserves} its slot by CAS before it is written and {@link #release gives it back}
 * if the write fails, so two threads racing for the last slot, in the same experiment or in two,
 * cannot both take it.
 */
final class PromptQuota {
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Object counting = new Object();
    private final ToLongFunction<String> countFromStore;

    /** @param countFromStore counts the prompts a project's experiments hold on disk */
    PromptQuota(final ToLongFunction<String> countFromStore) {
        this.countFromStore = countFromStore;
    }

    /** Takes one slot of {@code project}'s quota, or throws if none is left. */
    void reserve(final String project, final long limit, final String prompt) {
        reserve(project, limit, 1, "prompt '" + Names.preview(prompt) + "'");
    }

    /** Takes {@code slots} slots at once (all or none), or throws naming {@code rejected}. */
    void reserve(final String project, final long limit, final long slots, final String rejected) {
        final AtomicLong count = count(project);
        long n;
        do {
            n = count.get();
            if (slots > limit - n) {
                throw new HardLimitException("promptsPerProject", limit, n, rejected, "project '" + project + "'");
            }
        } while (!count.compareAndSet(n, n + slots));
    }

    /** Gives back slots whose prompts were not written. */
    void release(final String project, final long slots) {
        if (slots > 0) {
            counts.get(project).addAndGet(-slots);
        }
    }

    /** The prompts of a project (counting them from the store the first time). */
    long current(final String project) {
        return count(project).get();
    }

    private AtomicLong count(final String project) {
        final AtomicLong known = counts.get(project);
        if (known != null) {
            return known;
        }
        synchronized (counting) {
            // Counted once, while no prompt of the project can be written: every writer reserves first.
            return counts.computeIfAbsent(project, p -> new AtomicLong(countFromStore.applyAsLong(p)));
        }
    }
}
