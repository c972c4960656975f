package io.runlog;

import io.runlog.archive.ArchiveImporter;
import io.runlog.internal.JvmDefaults;
import io.runlog.internal.JvmFlags;
import io.runlog.sample.SampleCache;
import io.runlog.store.StoreEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Runlog store: a directory of projects, each holding experiments. The entry point of the API.
 *
 * <pre>{@code
 * try (RunlogStore store = RunlogStore.open(Path.of("runlog-data"))) {
 *     Project project = store.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT);
 *     try (Experiment run = project.createExperiment("resnet-01")) {
 *         MetricHandle loss = run.metric("loss");
 *         for (long step = 0; step < 1000; step++) {
 *             loss.log(step, 1.0 / (step + 1));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Contract.</b> One process opens a store for writing at a time (a file lock enforces it; a
 * lock left by a dead process is taken over at once); any number of processes may read it
 * meanwhile with {@link #openReadOnly}, which takes no lock and writes nothing. A {@code RunlogStore} is thread-safe. Closing it
 * drains and closes every experiment and releases every file descriptor and mapping it holds.
 * Opening a store never writes outside its directory, and Runlog never contacts the network (see
 * {@code JvmDefaults}).
 */
public final class RunlogStore implements AutoCloseable {
    static {
        JvmDefaults.apply();
    }

    private final StoreEngine engine;
    private final SampleCache sampleCache;

    private RunlogStore(final StoreEngine engine) {
        this.engine = engine;
        this.sampleCache = new SampleCache(engine.options().sampleCacheBytes());
    }

    /** Opens or creates a store with default {@link StoreOptions}. */
    public static RunlogStore open(final Path dir) {
        return open(dir, new StoreOptions());
    }

    /**
     * Opens or creates a store.
     *
     * @throws StoreAccessException  if the path is a file, is not writable, or cannot be read
     * @throws StoreLockedException  if another live process has it open
     * @throws UnsupportedFormatVersionException if a newer Runlog wrote it
     * @throws MissingJvmFlagsException if the JVM lacks flags Runlog needs (checked before anything
     *                                  is created; see README "JVM flags")
     */
    public static RunlogStore open(final Path dir, final StoreOptions options) {
        if (dir == null) {
            throw new StoreAccessException("store path is null");
        }
        JvmFlags.require();
        return new RunlogStore(StoreEngine.open(dir, options.copy()));
    }

    /** Opens an existing store for reading only, with default {@link StoreOptions}; see {@link #openReadOnly(Path, StoreOptions)}. */
    public static RunlogStore openReadOnly(final Path dir) {
        return openReadOnly(dir, new StoreOptions());
    }

    /**
     * Opens an existing store for reading only: to watch a store that another process (a
     * training harness, a server) has open for writing, to read below the disk reserve, or to
     * read a store on read-only media or from a directory this user cannot write.
     *
     * <p><b>Writes nothing.</b> No file or directory is created, modified, deleted or locked (not
     * even the store lock or Chronicle Queue's {@code metadata.cq4t}: journals are mapped
     * read-only), no ring is drained or recovered, no thread is started. Every write (creating a
     * project or experiment, {@link Experiment#metric}, logging a parameter, output line, item or
     * prompt, {@link Experiment#sync()}, {@link #importArchive}) throws
     * {@link ReadOnlyStoreException} and changes nothing. Exporting to an archive outside the
     * store works.
     *
     * <p><b>What is seen.</b> Everything the writer has put into the journal: every cold record
     * (parameters, output, items, prompts) once its call returned, and metric points once the
     * writer's drainer moved them from its ring into the journal, which it does within about
     * 1 ms of their {@code log} (or 1,024 points). Points still in the writer's ring are not
     * seen; nor, after a writer died, the points its ring held undrained: the next read-write
     * {@link #open} recovers them as after any crash. A store that nobody writes reads
     * completely. Records are read whole or not at all, so a reader never sees half a batch.
     *
     * <p><b>Refresh.</b> Every read looks for what was appended since the previous read (one
     * Chronicle tailer step per experiment read, then only the new records are indexed): a
     * long-lived handle sees new data without reopening. Projects and experiments created
     * since are listed too. Two reads of one experiment may therefore differ; take
     * {@link Experiment#pointCount()} and the series in one pass if they must agree.
     *
     * <p><b>Thread safety</b> as for {@link #open}: the store and its experiments may be read from
     * any number of threads. Close it to release its mappings; it never blocks a writer, and
     * a writer never blocks it.
     *
     * @throws StoreAccessException if {@code dir} does not exist, is not a store, or cannot be read
     * @throws UnsupportedFormatVersionException if a newer Runlog wrote it
     * @throws MissingJvmFlagsException if the JVM lacks flags Runlog needs
     */
    public static RunlogStore openReadOnly(final Path dir, final StoreOptions options) {
        if (dir == null) {
            throw new StoreAccessException("store path is null");
        }
        JvmFlags.require();
        return new RunlogStore(StoreEngine.openReadOnly(dir, options.copy()));
    }

    /** True if this store was opened with {@link #openReadOnly}: every write throws {@link ReadOnlyStoreException}. */
    public boolean isReadOnly() {
        return engine.isReadOnly();
    }

    /** The store's directory (absolute). */
    public Path directory() {
        return engine.root();
    }

    /** Creates a project; its name is 1..128 chars of {@code [A-Za-z0-9._-]}. */
    public Project createProject(final String name, final ProjectKind kind) {
        if (kind == null) {
            throw new InvalidValueException("project kind is null");
        }
        engine.createProject(name, kind);
        return new Project(this, name, kind);
    }

    /** An existing project. @throws NotFoundException if there is none of that name */
    public Project project(final String name) {
        return new Project(this, name, engine.projectKind(name));
    }

    /**
     * The project, created with {@code kind} if it does not exist yet.
     *
     * @throws ProjectKindMismatchException if it exists with another kind (an experiment-management
     *                                      project is never silently handed out as an LLM one)
     */
    public Project projectOrCreate(final String name, final ProjectKind kind) {
        if (kind == null) {
            throw new InvalidValueException("project kind is null");
        }
        if (!engine.projectExists(name)) {
            try {
                return createProject(name, kind);
            } catch (final AlreadyExistsException raced) {
                // another thread created it first
            }
        }
        final Project existing = project(name);
        if (existing.kind() != kind) {
            throw new ProjectKindMismatchException(name, existing.kind(), kind);
        }
        return existing;
    }

    /** Every project, sorted by name. */
    public List<Project> projects() {
        final List<Project> list = new ArrayList<>();
        for (final String name : engine.projects()) {
            list.add(project(name));
        }
        return list;
    }

    /**
     * Exports an experiment to an archive file; see {@link Experiment#export(Path)}.
     *
     * @throws NotFoundException if there is no such project or experiment
     */
    public ExportResult exportExperiment(final String project, final String key, final Path file) {
        try (Experiment e = project(project).openExperiment(key)) {
            return e.export(file);
        }
    }

    /**
     * Imports ("uploads") an archive: verifies all of it first (a damaged archive throws
     * {@link ArchiveFormatException} and changes nothing), creates the project and experiment if
     * missing, and adds what the experiment does not hold yet from that source. Importing the
     * same archive again adds nothing; importing a later export of the same experiment adds only
     * what is new; an import interrupted by a crash can be run again. Hard limits apply
     * ({@link HardLimitException}, checked before anything is added); rate limits do not.
     */
    public ImportResult importArchive(final Path file) {
        engine.checkWritable();
        return ArchiveImporter.importArchive(this, file, null);
    }

    /**
     * Imports an archive as {@link #importArchive(Path)} does, under the project and experiment
     * key of {@code options} where it sets them: for example when the archive's key is taken by
     * an experiment of another origin ({@link AlreadyExistsException} from the plain import), or
     * to keep two uploads of one experiment apart. The experiment keeps the archive's creation
     * time, offline flag and project kind.
     */
    public ImportResult importArchive(final Path file, final ImportOptions options) {
        engine.checkWritable();
        return ArchiveImporter.importArchive(this, file, null, options);
    }

    /** Internal: the engine behind this store (other packages reach it through {@code internal.StoreAccess}). */
    StoreEngine engine() {
        return engine;
    }

    /** Internal: the cache of sampled metrics (tests and benchmarks inspect it through {@code internal.StoreAccess}). */
    SampleCache sampleCache() {
        return sampleCache;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Drains every open experiment's points into its journal, closes every experiment (handles
     * then throw {@link ClosedException}) and releases the store lock. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
        sampleCache.clear();
    }
}
