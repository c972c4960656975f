package io.runlog.store;

import io.runlog.ClosedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Open experiments of a store, shared by reference count, plus a bounded LRU of experiments no
 * caller holds ("idle") that stay open for cheap reuse. The number of open journals, rings and
 * their files is therefore at most (experiments held by callers) + {@code maxIdle}, whatever
 * the number of experiments in the store. All methods are synchronised; they are cold paths.
 */
final class ExperimentRegistry {
    private final int maxIdle;
    private final Map<String, ExperimentEngine> open = new HashMap<>();
    private final LinkedHashMap<String, ExperimentEngine> idle = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    ExperimentRegistry(final int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** The open engine for {@code id}, opened with {@code opener} if needed; counts a reference. */
    synchronized ExperimentEngine acquire(final String id, final Supplier<ExperimentEngine> opener) {
        if (closed) {
            throw new ClosedException("the store is closed");
        }
        ExperimentEngine engine = open.get(id);
        if (engine == null) {
            engine = opener.get();
            open.put(id, engine);
        }
        if (engine.references++ == 0) {
            idle.remove(id);
        }
        return engine;
    }

    /** Drops a reference; an unreferenced engine becomes idle, and the eldest idle ones close. */
    synchronized void release(final String id, final ExperimentEngine engine) {
        if (open.get(id) != engine || engine.references <= 0) {
            return;
        }
        if (--engine.references == 0) {
            idle.put(id, engine);
            evictIdle(maxIdle);
        }
    }

    /** Closes the engine of {@code id} if it is idle (nobody holds it); false if it is held. */
    synchronized boolean closeIfIdle(final String id) {
        final ExperimentEngine engine = idle.remove(id);
        if (engine != null) {
            open.remove(id);
            engine.close();
            return true;
        }
        return !open.containsKey(id);
    }

    synchronized int openCount() {
        return open.size();
    }

    /** Closes every engine, held or idle; returns the first failure, if any, after trying all. */
    synchronized RuntimeException closeAll() {
        closed = true;
        RuntimeException first = null;
        final List<ExperimentEngine> all = new ArrayList<>(open.values());
        open.clear();
        idle.clear();
        for (final ExperimentEngine e : all) {
            try {
                e.close();
            } catch (final RuntimeException ex) {
                if (first == null) {
                    first = ex;
                }
            }
        }
        return first;
    }

    private void evictIdle(final int keep) {
        final Iterator<Map.Entry<String, ExperimentEngine>> it = idle.entrySet().iterator();
        while (idle.size() > keep && it.hasNext()) {
            final Map.Entry<String, ExperimentEngine> eldest = it.next();
            it.remove();
            open.remove(eldest.getKey());
            eldest.getValue().close();
        }
    }
}
