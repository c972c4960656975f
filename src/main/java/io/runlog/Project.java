package io.runlog;

import io.runlog.internal.Names;
import io.runlog.store.ExperimentHeader;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A project of a store: a named set of experiments of one {@link ProjectKind}. Lightweight and
 * thread-safe; holds no resources.
 */
public final class Project {
    private final RunlogStore store;
    private final String name;
    private final ProjectKind kind;

    Project(final RunlogStore store, final String name, final ProjectKind kind) {
        this.store = store;
        this.name = name;
        this.kind = kind;
    }

    public String name() {
        return name;
    }

    public ProjectKind kind() {
        return kind;
    }

    /** Creates an experiment with a generated, time-ordered key and opens it. */
    public Experiment createExperiment() {
        return createExperiment(generateKey());
    }

    /**
     * Creates an experiment with a stable key (1..128 chars of {@code [A-Za-z0-9._-]}) and opens
     * it. @throws AlreadyExistsException if the key is taken
     */
    public Experiment createExperiment(final String key) {
        return open(store.engine().createExperiment(name, key, false));
    }

    /**
     * Creates an offline experiment (logged by a harness without a server: no rate limits, only
     * hard limits) and opens it.
     */
    public Experiment createOfflineExperiment(final String key) {
        return open(store.engine().createExperiment(name, key, true));
    }

    /** Opens an existing experiment. @throws NotFoundException if there is none with that key */
    public Experiment openExperiment(final String key) {
        return open(store.engine().experimentHeader(name, key));
    }

    /** Opens the experiment, creating it if it does not exist yet. */
    public Experiment openOrCreateExperiment(final String key) {
        if (!store.engine().experimentExists(name, key)) {
            try {
                return createExperiment(key);
            } catch (final AlreadyExistsException raced) {
                // created concurrently: open it
            }
        }
        return openExperiment(key);
    }

    /**
     * Opens the offline experiment, creating it (offline) if it does not exist yet: what a
     * harness calls on every run, the first and the ones after it.
     *
     * @throws InvalidValueException if an experiment of that key exists and is not offline
     */
    public Experiment openOrCreateOfflineExperiment(final String key) {
        if (!store.engine().experimentExists(name, key)) {
            try {
                return createOfflineExperiment(key);
            } catch (final AlreadyExistsException raced) {
                // created concurrently: open it
            }
        }
        final Experiment e = openExperiment(key);
        if (!e.isOffline()) {
            e.close();
            throw new InvalidValueException("experiment '" + key + "' of project '" + name + "' exists and is not"
                + " offline (it is rate-limited); open it with openExperiment, or choose another key");
        }
        return e;
    }

    /** Keys of every experiment, sorted. */
    public List<String> experimentKeys() {
        return store.engine().experiments(name);
    }

    /**
     * Prompts held by all experiments of this project: what the {@code promptsPerProject} hard
     * limit counts (0 for experiment-management projects). Counted from the store the first
     * time it is asked for after the store opens.
     */
    public long promptCount() {
        return store.engine().projectPrompts(name);
    }

    private Experiment open(final ExperimentHeader header) {
        return new Experiment(store, store.engine().acquire(header));
    }

    /** A key like {@code 0192f3a4b5c6-7d8e9f0a}: milliseconds then randomness, sorts by creation. */
    static String generateKey() {
        final long millis = System.currentTimeMillis();
        final int random = ThreadLocalRandom.current().nextInt();
        return Names.checkKey("generated key", String.format(Locale.ROOT, "%012x-%08x", millis, random));
    }

    @Override
    public String toString() {
        return "Project[" + name + ", " + kind + "]";
    }
}
