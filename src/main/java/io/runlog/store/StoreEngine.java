package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.internal.IoErrors;
import io.runlog.AlreadyExistsException;
import io.runlog.ClosedException;
import io.runlog.CorruptStoreException;
import io.runlog.HardLimitException;
import io.runlog.NotFoundException;
import io.runlog.ProjectKind;
import io.runlog.ReadOnlyStoreException;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.UnsupportedFormatVersionException;
import io.runlog.internal.Names;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A store directory ({@link StoreLayout}): its lock, format version, projects and experiments on
 * disk, the registry of open experiments and the drainer thread.
 *
 * Projects and experiments are created in a {@code .tmp-*} directory and renamed into place, so
 * a crash never leaves a half-created one under its real name.
 *
 * <p><b>Read-only</b> ({@link #openReadOnly}): no lock is taken and nothing is created, written,
 * deleted or drained; the directory may be on read-only media and another process may hold it
 * open for writing. Projects and experiments are listed from the directory on every call, and
 * each experiment is opened with {@link ExperimentEngine#openReadOnly}. Every write throws
 * {@link ReadOnlyStoreException}.
 */
public final class StoreEngine implements AutoCloseable {
    public static final int FORMAT_VERSION = 1;

    private final Path root;
    private final StoreOptions options;
    private final FileSystemFacade fs;
    /** Null when read-only. */
    private final StoreLock lock;
    private final boolean readOnly;
    private final DiskSpaceGuard guard;
    private final Drainer drainer;
    private final ExperimentRegistry registry;
    /** Serialises experiment creation, so that two creators cannot both take a project's last slot. */
    private final Object experimentCreation = new Object();
    /**
     * Experiments per project, counted from the directory the first time a project gets one and
     * kept current by every creation (this process holds the store lock, so nothing else
     * creates). Guarded by {@link #experimentCreation}.
     */
    private final java.util.Map<String, Integer> experimentCounts = new java.util.HashMap<>();
    private final PromptQuota promptQuota = new PromptQuota(this::countPrompts);
    private volatile boolean closed;

    private StoreEngine(final Path root, final StoreOptions options, final StoreLock lock) {
        this.root = root;
        this.options = options;
        this.fs = StoreAccess.fileSystem(options);
        this.lock = lock;
        this.readOnly = lock == null;
        this.guard = new DiskSpaceGuard(StoreAccess.fileSystem(options), root, options.diskReserveBytes());
        this.registry = new ExperimentRegistry(options.maxIdleExperiments());
        this.drainer = new Drainer(options.nanoClock(), Runtime.getRuntime().availableProcessors());
    }

    /** Opens or creates the store at {@code dir}. */
    public static StoreEngine open(final Path dir, final StoreOptions options) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new StoreAccessException("Runlog's files are little-endian and need a little-endian platform");
        }
        final Path root = dir.toAbsolutePath().normalize();
        prepareDirectory(root, StoreAccess.fileSystem(options));
        final StoreLock lock = StoreLock.acquire(root, StoreAccess.fileSystem(options));
        final StoreEngine engine = new StoreEngine(root, options, lock);
        try {
            engine.checkFormat();
            engine.removeStrayTemporaries(StoreLayout.projectsDir(root));
            if (options.backgroundDrain()) {
                engine.drainer.start();
            }
            return engine;
        } catch (final RuntimeException e) {
            engine.releaseLock();
            throw e;
        }
    }

    /**
     * Opens the existing store at {@code dir} for reading only: takes no lock, creates and writes
     * nothing, starts no thread.
     *
     * @throws StoreAccessException if {@code dir} is not a directory holding a Runlog store
     */
    public static StoreEngine openReadOnly(final Path dir, final StoreOptions options) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new StoreAccessException("Runlog's files are little-endian and need a little-endian platform");
        }
        final Path root = dir.toAbsolutePath().normalize();
        final FileSystemFacade fs = StoreAccess.fileSystem(options);
        if (!fs.isDirectory(root)) {
            throw new StoreAccessException("store directory " + root + (fs.exists(root) ? " is a file, not a directory"
                : " does not exist") + "; a read-only open creates nothing");
        }
        if (!fs.isRegularFile(StoreLayout.storeFile(root))) {
            throw new StoreAccessException("directory " + root + " holds no Runlog store (no "
                + StoreLayout.STORE_FILE + "); a read-only open creates nothing");
        }
        final StoreEngine engine = new StoreEngine(root, options, null);
        engine.checkFormat();
        return engine;
    }

    /** True if opened with {@link #openReadOnly}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** @throws ReadOnlyStoreException if this store is open read-only */
    public void checkWritable() {
        if (readOnly) {
            throw new ReadOnlyStoreException("store " + root + " is open read-only; nothing was written");
        }
    }

    private static void prepareDirectory(final Path root, final FileSystemFacade fs) {
        if (fs.exists(root) && !fs.isDirectory(root)) {
            throw new StoreAccessException("store path " + root + " is a file, not a directory");
        }
        try {
            fs.createDirectories(root);
        } catch (final FileAlreadyExistsException e) {
            throw new StoreAccessException("store path " + root + " (or a parent) is a file, not a directory", e);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create store directory " + root + ": " + IoErrors.describe(e, root), e);
        }
        if (!fs.isWritable(root)) {
            throw new StoreAccessException("store directory " + root + " is not writable");
        }
    }

    private void checkFormat() {
        final Path file = StoreLayout.storeFile(root);
        if (!fs.exists(file) && !readOnly) {
            final Properties p = new Properties();
            p.setProperty("format.version", Integer.toString(FORMAT_VERSION));
            p.setProperty("created", Long.toString(options.clock().time()));
            PropertiesFile.write(fs, file, p, "Runlog store");
            return;
        }
        final long version = PropertiesFile.requireLong(PropertiesFile.read(fs, file), file, "format.version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatVersionException("store " + root + " has format version " + version
                + ", this build of Runlog reads up to " + FORMAT_VERSION + "; upgrade Runlog");
        }
        if (version < 1) {
            throw new CorruptStoreException(file + ": format.version " + version + " is not valid");
        }
    }

    public Path root() {
        return root;
    }

    public StoreOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ projects

    public void createProject(final String name, final ProjectKind kind) {
        checkOpen();
        checkWritable();
        Names.checkKey("project name", name);
        final Properties p = new Properties();
        p.setProperty("kind", kind.name());
        p.setProperty("created", Long.toString(options.clock().time()));
        createAtomically(StoreLayout.projectsDir(root), name, StoreLayout.PROJECT_FILE, p, "project '" + name + "'");
    }

    public ProjectKind projectKind(final String name) {
        checkOpen();
        Names.checkKey("project name", name);
        final Path file = StoreLayout.projectFile(root, name);
        if (!fs.isRegularFile(file)) {
            if (fs.isDirectory(file.getParent())) {
                throw new CorruptStoreException("project directory " + file.getParent() + " lacks its "
                    + StoreLayout.PROJECT_FILE + " (deleted or lost): " + file);
            }
            throw new NotFoundException("store " + root + " has no project '" + name + "'");
        }
        final String kind = PropertiesFile.require(PropertiesFile.read(fs, file), file, "kind");
        try {
            return ProjectKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new CorruptStoreException(file + ": unknown project kind '" + kind + "'", e);
        }
    }

    public boolean projectExists(final String name) {
        checkOpen();
        // A project's directory without its file is a damaged project, not a missing one (projectKind says so).
        return fs.isDirectory(StoreLayout.projectDir(root, Names.checkKey("project name", name)));
    }

    public List<String> projects() {
        checkOpen();
        return listKeys(StoreLayout.projectsDir(root), StoreLayout.PROJECT_FILE);
    }

    // ------------------------------------------------------------------ experiments

    /**
     * A new experiment logged here: a new source, so it is created with its archive source identity
     * ({@link StoreLayout#SOURCE_ID_FILE}, 128 random bits) in place. A sync or export then never has
     * to create it later, which a read-only follower ({@code runlog sync --follow}) could not.
     */
    public ExperimentHeader createExperiment(final String project, final String key, final boolean offline) {
        return createExperiment(project, key, offline, options.clock().time(), true);
    }

    /**
     * With a given creation time (epoch ms): an import keeps the archive's. Created without a source
     * identity: the import gives it its source's.
     */
    public ExperimentHeader createExperiment(final String project, final String key, final boolean offline,
                                             final long created) {
        return createExperiment(project, key, offline, created, false);
    }

    private ExperimentHeader createExperiment(final String project, final String key, final boolean offline,
                                              final long created, final boolean newSource) {
        checkWritable();
        final ProjectKind kind = projectKind(project);
        Names.checkKey("experiment key", key);
        final Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("created", Long.toString(created));
        p.setProperty("offline", Boolean.toString(offline));
        final Path experiments = StoreLayout.experimentsDir(root, project);
        synchronized (experimentCreation) {
            if (kind == ProjectKind.EXPERIMENT_MANAGEMENT) {
                final long limit = options.hardLimits().experimentsPerProject();
                final int count = experimentCounts.computeIfAbsent(project,
                    name -> listKeys(experiments, StoreLayout.EXPERIMENT_FILE).size());
                if (count >= limit) {
                    throw new HardLimitException("experimentsPerProject", limit, count, "experiment '" + key + "'",
                        "project '" + project + "'");
                }
            }
            createAtomically(experiments, key, StoreLayout.EXPERIMENT_FILE, p, "experiment '" + key + "' in project '"
                + project + "'", newSource ? newSourceId() : null);
            experimentCounts.computeIfPresent(project, (name, n) -> n + 1);
        }
        return new ExperimentHeader(project, kind, key, created, offline);
    }

    public ExperimentHeader experimentHeader(final String project, final String key) {
        final ProjectKind kind = projectKind(project);
        Names.checkKey("experiment key", key);
        final Path file = StoreLayout.experimentFile(experimentDir(project, key));
        if (!fs.isRegularFile(file)) {
            if (fs.isDirectory(file.getParent())) {
                throw new CorruptStoreException("experiment directory " + file.getParent() + " lacks its "
                    + StoreLayout.EXPERIMENT_FILE + " (deleted or lost): " + file);
            }
            throw new NotFoundException("project '" + project + "' has no experiment '" + key + "'");
        }
        final Properties p = PropertiesFile.read(fs, file);
        final String storedKey = p.getProperty("key");
        if (storedKey != null && !storedKey.equals(key)) {
            throw new CorruptStoreException(file + ": 'key' is '" + storedKey + "', not the directory's name '" + key + "'");
        }
        return new ExperimentHeader(project, kind, key, PropertiesFile.requireLong(p, file, "created"),
            PropertiesFile.booleanOr(p, file, "offline", false));
    }

    public boolean experimentExists(final String project, final String key) {
        checkOpen();
        Names.checkKey("project name", project);
        Names.checkKey("experiment key", key);
        // An experiment's directory without its file is a damaged experiment (experimentHeader says so).
        return fs.isDirectory(experimentDir(project, key));
    }

    public List<String> experiments(final String project) {
        projectKind(project);
        return listKeys(StoreLayout.experimentsDir(root, project), StoreLayout.EXPERIMENT_FILE);
    }

    /**
     * Takes a slot of the project's prompts-per-project limit before a prompt is written
     * ({@link HardLimitException} if none is left); give it back with {@link #releasePrompt} if the
     * write fails.
     */
    public void reservePrompt(final String project, final String prompt) {
        checkWritable();
        promptQuota.reserve(project, options.hardLimits().promptsPerProject(), prompt);
    }

    public void releasePrompt(final String project) {
        promptQuota.release(project, 1);
    }

    /** Takes {@code slots} slots of the project's prompt quota at once (an import), all or none. */
    public void reservePrompts(final String project, final long slots, final String rejected) {
        if (slots > 0) {
            promptQuota.reserve(project, options.hardLimits().promptsPerProject(), slots, rejected);
        }
    }

    public void releasePrompts(final String project, final long slots) {
        promptQuota.release(project, slots);
    }

    /** Prompts held by a project's experiments (0 for a project that does not exist). */
    public long projectPrompts(final String project) {
        return projectExists(project) ? promptQuota.current(project) : 0;
    }

    private long countPrompts(final String project) {
        long n = 0;
        for (final String key : experiments(project)) {
            final ExperimentEngine engine = acquire(experimentHeader(project, key));
            try {
                n += engine.promptCount();
            } finally {
                release(engine);
            }
        }
        return n;
    }

    /** The open engine of an experiment (one reference; give it back with {@link #release}). */
    public ExperimentEngine acquire(final ExperimentHeader header) {
        checkOpen();
        final String id = header.project() + "/" + header.key();
        final Path dir = experimentDir(header.project(), header.key());
        return registry.acquire(id, () -> readOnly
            ? ExperimentEngine.openReadOnly(dir, header, options, guard, drainer)
            : ExperimentEngine.open(dir, header, options, guard, drainer));
    }

    public void release(final ExperimentEngine engine) {
        final ExperimentHeader h = engine.header();
        registry.release(h.project() + "/" + h.key(), engine);
    }

    /**
     * Closes an experiment this store keeps open while idle, so that its files can be read or
     * moved by {@code runlog check}; false if someone holds it open.
     */
    boolean closeIfIdle(final String project, final String key) {
        return registry.closeIfIdle(project + "/" + key);
    }

    /** Open experiment engines, held or idle (for tests of resource bounds). */
    public int openExperimentCount() {
        return registry.openCount();
    }

    public Path experimentDir(final String project, final String key) {
        return StoreLayout.experimentDir(root, project, key);
    }

    // ------------------------------------------------------------------ lifecycle

    public boolean isClosed() {
        return closed;
    }

    public void checkOpen() {
        if (closed) {
            throw new ClosedException("store " + root + " is closed");
        }
    }

    /** Stops the drainer, drains and closes every experiment, releases the lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        drainer.close();
        final RuntimeException failure = registry.closeAll();
        releaseLock();
        if (failure != null) {
            throw failure;
        }
    }

    private void releaseLock() {
        if (lock != null) {
            lock.release();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** 32 lower-case hex digits of 128 random bits: a new archive source identity. */
    private static String newSourceId() {
        final byte[] bytes = new byte[16];
        SOURCE_IDS.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static final java.security.SecureRandom SOURCE_IDS = new java.security.SecureRandom();

    private void createAtomically(final Path parent, final String name, final String fileName, final Properties props,
                                  final String what) {
        createAtomically(parent, name, fileName, props, what, null);
    }

    /** @param sourceId if not null, written to {@link StoreLayout#SOURCE_ID_FILE} inside the new directory before it appears */
    private void createAtomically(final Path parent, final String name, final String fileName, final Properties props,
                                  final String what, final String sourceId) {
        final Path target = parent.resolve(name);
        if (fs.exists(target)) {
            throw new AlreadyExistsException(what + " exists already");
        }
        guard.reserveNow(64 * 1024);
        final Path tmp = StoreLayout.creatingDir(parent, name, ThreadLocalRandom.current().nextLong());
        try {
            fs.createDirectories(tmp);
            if (sourceId != null) { // its checked copy too, or a lost file would be replaced by a new identity
                props.setProperty(SourceIdRecord.KEY, sourceId);
            }
            PropertiesFile.write(fs, tmp.resolve(fileName), props, what);
            if (sourceId != null) {
                AtomicFile.write(fs, StoreLayout.sourceIdFile(tmp), (sourceId + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            try {
                fs.moveAtomicallyNoReplace(tmp, target);
                fs.forceDirectory(parent);
            } catch (final FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new AlreadyExistsException(what + " exists already");
            } catch (final FileSystemException e) {
                if (fs.exists(target)) {
                    throw new AlreadyExistsException(what + " exists already");
                }
                throw e;
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create " + what + " in " + parent + ": " + IoErrors.describe(e), e);
        } finally {
            deleteRecursively(tmp);
        }
    }

    private List<String> listKeys(final Path dir, final String marker) {
        final List<String> keys = new ArrayList<>();
        if (!fs.isDirectory(dir)) {
            return keys;
        }
        try {
            for (final Path p : fs.list(dir)) {
                final String name = p.getFileName().toString();
                // Every visible directory counts, with its marker file or without: directories are created
                // whole under a hidden name and renamed into place, so one without its marker is damaged, and
                // opening it says so instead of the listing hiding it.
                if (!name.startsWith(".") && (fs.isRegularFile(p.resolve(marker)) || fs.isDirectory(p))) {
                    keys.add(name);
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot list " + dir + ": " + IoErrors.describe(e), e);
        }
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    private void removeStrayTemporaries(final Path projects) {
        if (!fs.isDirectory(projects)) {
            return;
        }
        try {
            for (final Path p : fs.list(projects)) {
                final Path experiments = p.resolve(StoreLayout.EXPERIMENTS_DIR);
                if (StoreLayout.isBeingCreated(p.getFileName().toString())) {
                    deleteRecursively(p);
                } else if (fs.isDirectory(experiments)) {
                    for (final Path t : fs.list(experiments)) {
                        if (StoreLayout.isBeingCreated(t.getFileName().toString())) {
                            deleteRecursively(t);
                        }
                    }
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot list " + projects + ": " + IoErrors.describe(e), e);
        }
    }

    private void deleteRecursively(final Path p) {
        try {
            deleteTree(p);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot delete " + p + ": " + IoErrors.describe(e), e);
        }
    }

    /** Deletes a directory's entries depth first, then the directory (or just the file). Links are not followed. */
    private void deleteTree(final Path p) throws IOException {
        if (!fs.isSymbolicLink(p) && fs.isDirectory(p)) {
            for (final Path child : fs.list(p)) {
                deleteTree(child);
            }
        }
        fs.deleteIfExists(p);
    }
}
