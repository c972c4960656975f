package io.runlog.archive;

import io.runlog.internal.StoreAccess;
import io.runlog.AlreadyExistsException;
import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.InvalidValueException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.Parameter;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.store.ExperimentCut;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreEngine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Internal: imports ("uploads") an archive into a store. Idempotent, incremental and resumable:
 * see {@link ImportMarks} for the high-water marks and docs/format/archive.md ("Importing") for
 * the crash argument.
 *
 * <ol>
 *   <li>Pass 1 reads and verifies the whole archive (every checksum, every payload's SHA-256,
 *       every name) and writes nothing: a damaged archive leaves the store unchanged.</li>
 *   <li>The project and experiment are created if missing (an existing project must be of the
 *       archive's kind). Hard limits are checked for everything the import would add before
 *       anything is added. Rate limits do not apply: archives are offline data.</li>
 *   <li>The marks are extended with the archive's new streams and written.</li>
 *   <li>Pass 2 reads the archive again and appends each stream's entries beyond its mark,
 *       recognising entries a crashed earlier run already wrote.</li>
 *   <li>The experiment is synced, then the new marks are written.</li>
 * </ol>
 *
 * <p>This class decides and orders the steps; {@link ImportLimits} checks the hard limits (step 2)
 * and {@link ImportPass} is pass 2 (step 4).
 */
public final class ArchiveImporter {
    /** Told after every block of pass 2. */
    public interface Progress {
        void update(long pointsDone, long pointsTotal);
    }

    /**
     * Decides, after the archive was verified and before anything is written (the experiment is
     * not even created), whether the import may go on: the sync server asks its rate limits here.
     * {@code units[t]} is what the import would add of {@code DataType.values()[t]} beyond the
     * target's mark (metric points, parameter values, output lines, items plus prompts). It
     * refuses by throwing; the store is then unchanged. Called under the experiment's import
     * lock when the experiment exists, so concurrent imports of it are decided one at a time.
     */
    public interface Gatekeeper {
        void admit(long[] units, boolean offline);
    }

    private final RunlogStore store;
    private final Path file;
    private Gatekeeper gatekeeper;
    private final Progress progress;
    private final ImportOptions options;
    /** The target project and key: the options', or the archive's (set once pass 1 read the header). */
    private String targetProject;
    private String targetKey;

    private ArchiveImporter(final RunlogStore store, final Path file, final Progress progress,
                            final ImportOptions options) {
        this.store = store;
        this.file = file;
        this.progress = progress == null ? (d, t) -> { } : progress;
        this.options = options == null ? new ImportOptions() : options;
    }

    public static ImportResult importArchive(final RunlogStore store, final Path file, final Progress progress) {
        return importArchive(store, file, progress, null);
    }

    /** With a {@link Gatekeeper} asked before anything is written (null: none). */
    public static ImportResult importArchive(final RunlogStore store, final Path file, final Progress progress,
                                             final ImportOptions options, final Gatekeeper gatekeeper) {
        final ArchiveImporter importer = new ArchiveImporter(store, file, progress, options);
        importer.gatekeeper = gatekeeper;
        return importer.run();
    }

    /** With {@code options} (null: into the archive's project and key). */
    public static ImportResult importArchive(final RunlogStore store, final Path file, final Progress progress,
                                             final ImportOptions options) {
        return new ArchiveImporter(store, file, progress, options).run();
    }

    /** What pass 1 learns beyond the summary. */
    static final class Survey implements ArchiveVisitor {
        final Set<String> parameterNames = new LinkedHashSet<>();
        final Map<String, Long> parameterValues = new HashMap<>();
        final List<ItemType> itemTypes = new ArrayList<>();

        @Override
        public void parameters(final List<Parameter> values) {
            for (final Parameter p : values) {
                parameterNames.add(p.name());
                parameterValues.merge(p.name(), 1L, Long::sum);
            }
        }

        @Override
        public void item(final Item item, final InputStream payload) {
            itemTypes.add(item.type());
        }
    }

    private ImportResult run() {
        final StoreEngine se = StoreAccess.engine(store);
        se.checkOpen();
        try (ArchiveReader reader = ArchiveReader.open(StoreAccess.fileSystem(se.options()), file)) {
            final Survey survey = new Survey();
            final ArchiveSummary summary = reader.read(survey);
            final ArchiveHeader h = summary.header();
            targetProject = options.project() != null ? options.project() : h.project();
            targetKey = options.key() != null ? options.key() : h.key();
            if (!se.projectExists(targetProject) || !se.experimentExists(targetProject, targetKey)) {
                // a new experiment: nothing held of any source
                IncrementChecks.checkGap(summary, survey, new ImportMarks(), h.sourceId(), scope());
                if (gatekeeper != null) {
                    gatekeeper.admit(IncrementChecks.newUnits(summary, survey, new ImportMarks()), h.offline());
                }
                // check the hard limits before creating anything
                final ExperimentCut empty = new ExperimentCut(List.of(), Map.of(), 0, 0, 0);
                final ImportMarks none = new ImportMarks();
                final Map<String, Long> lengths = new HashMap<>();
                for (final String s : streams(summary, survey)) {
                    none.put(s, 0, 0);
                }
                ImportLimits.check(se.options().hardLimits(), limitScope(), summary, survey, empty, none, lengths,
                    new long[ItemType.values().length]);
                final long prompts = summary.totals().prompts();
                final long limit = se.options().hardLimits().promptsPerProject();
                final long have = se.projectPrompts(targetProject);
                if (prompts > limit - have) {
                    throw new HardLimitException("promptsPerProject", limit, have, prompts + " prompts of archive " + file,
                        "project '" + targetProject + "'");
                }
            }
            final Project project = project(h);
            boolean created = false;
            Experiment experiment;
            if (se.experimentExists(targetProject, targetKey)) {
                experiment = project.openExperiment(targetKey);
            } else {
                try {
                    // created with the archive's creation time: createdAt() and 'runlog status' show when the
                    // experiment began, not when it was imported
                    se.createExperiment(targetProject, targetKey, h.offline(), h.createdAt());
                    created = true;
                } catch (final AlreadyExistsException raced) {
                    // created concurrently: open it
                }
                experiment = project.openExperiment(targetKey);
            }
            try (Experiment e = experiment) {
                final ExperimentEngine engine = se.acquire(se.experimentHeader(targetProject, targetKey));
                try {
                    synchronized (engine.importLock()) { // one import at a time per experiment
                        return importInto(reader, summary, survey, e, engine, created);
                    }
                } finally {
                    se.release(engine);
                }
            }
        }
    }

    private String limitScope() {
        return "experiment " + targetProject + "/" + targetKey + " (import of " + file + ")";
    }

    private String scope() {
        return "experiment " + targetProject + "/" + targetKey;
    }

    private Project project(final ArchiveHeader h) {
        final StoreEngine se = StoreAccess.engine(store);
        if (se.projectExists(targetProject)) {
            final ProjectKind kind = se.projectKind(targetProject);
            if (kind != h.kind()) {
                throw new InvalidValueException("archive " + file + " holds an experiment of a " + h.kind()
                    + " project, but project '" + targetProject + "' of this store is a " + kind + " project; import it"
                    + " under another project (ImportOptions.project, runlog import --project)");
            }
            return store.project(targetProject);
        }
        return store.projectOrCreate(targetProject, h.kind());
    }

    private ImportResult importInto(final ArchiveReader reader, final ArchiveSummary summary, final Survey survey,
                                    final Experiment experiment, final ExperimentEngine engine, final boolean created) {
        final ArchiveHeader h = summary.header();
        final Path dir = engine.directory();
        final long points = summary.totals().points();
        final long others = summary.totals().parameterValues() + summary.totals().outputLines()
            + summary.totals().items() + summary.totals().prompts();
        final FileSystemFacade fs = StoreAccess.fileSystem(StoreAccess.engine(store).options());
        if (fs.exists(dir.resolve(io.runlog.store.StoreLayout.IMPORT_MARKS_DIR).resolve(h.sourceId()
            + ImportMarkRepair.REFUSED_SUFFIX))) {
            throw new AlreadyExistsException("experiment " + targetProject + "/" + targetKey + " cannot import archive "
                + file + ": runlog check --repair removed entries of several sources from it and moved the marks of"
                + " source " + h.sourceId() + " aside (see the salvage REPORT.txt), so how many of this source's entries"
                + " it holds is not known; import it into another experiment (runlog import --experiment E)");
        }
        final ImportMarks marks = ImportMarks.read(fs, dir, h.sourceId());
        if (marks == null && isOwnExport(fs, dir, h.sourceId())) {
            // the original (a copy of it has marks of its source): everything in the archive came from here
            return new ImportResult(targetProject, targetKey, false, 0, points, 0, others, IncrementChecks.archiveEnd(summary, survey));
        }
        IncrementChecks.checkGap(summary, survey, marks == null ? new ImportMarks() : marks, h.sourceId(), scope());
        final ExperimentCut cut = engine.cut();
        final Map<String, Long> lengths = lengths(cut);
        if (marks == null && !created && lengths.values().stream().anyMatch(n -> n > 0)) {
            throw new AlreadyExistsException("experiment " + targetProject + "/" + targetKey + " already holds data that"
                + " did not come from the source of archive " + file + "; import it into another store, or under"
                + " another project or key (runlog import --project P --experiment E; in the API"
                + " RunlogStore.importArchive(file, new ImportOptions().project(P).key(E)))");
        }
        final ImportMarks begin = marks == null ? new ImportMarks() : marks;
        boolean extended = marks == null;
        final List<String> streams = streams(summary, survey);
        for (final String s : streams) {
            if (begin.targetLength(s) < 0) {
                begin.put(s, 0, lengths.getOrDefault(s, 0L));
                extended = true;
            }
        }
        final long[] itemCounts = new long[ItemType.values().length];
        for (final ItemType t : ItemType.values()) {
            itemCounts[t.ordinal()] = engine.itemCount(t);
        }
        ImportLimits.check(StoreAccess.engine(store).options().hardLimits(), limitScope(), summary, survey, cut, begin,
            lengths, itemCounts);
        if (gatekeeper != null && !created) { // a created experiment was admitted before it was created
            gatekeeper.admit(IncrementChecks.newUnits(summary, survey, begin), h.offline());
        }
        if (extended) {
            begin.write(fs, dir, h.sourceId());
        }
        // After the marks: an experiment holding only this source's data (an empty or new one: see the
        // check above) exports under its original's identity, so copies are recognised as such.
        SourceIdentity.adopt(fs, dir, h.sourceId());
        final StoreEngine se = StoreAccess.engine(store);
        final IncrementBases bases = summary.basesOrZero();
        final long promptSlots = ImportLimits.toAdd(ImportMarks.PROMPTS, bases.prompts() + summary.totals().prompts(),
            begin, lengths);
        se.reservePrompts(targetProject, promptSlots, promptSlots + " prompts of archive " + file);
        final ImportPass pass = new ImportPass(store, file, targetProject, progress, summary, experiment, engine, begin, lengths, promptSlots);
        try {
            reader.read(pass);
        } finally {
            se.releasePrompts(targetProject, pass.promptSlots - pass.promptsWritten);
        }
        final ExperimentCut after = engine.syncAndCut(); // the marks claim only what this sync made durable
        final Map<String, Long> afterLengths = lengths(after);
        final ImportMarks end = new ImportMarks();
        for (final Map.Entry<String, long[]> m : begin.streams.entrySet()) {
            final long imported = Math.max(m.getValue()[0], pass.archiveCounts.getOrDefault(m.getKey(), 0L));
            end.put(m.getKey(), imported, pass.targetLengthAfter(m.getKey(), m.getValue()[1],
                afterLengths.getOrDefault(m.getKey(), 0L)));
        }
        end.write(fs, dir, h.sourceId());
        return new ImportResult(targetProject, targetKey, created, pass.pointsAdded, points - pass.pointsAdded,
            pass.othersAdded, others - pass.othersAdded, end.toHighWaterMark(h.sourceId()));
    }

    /** See {@link RunlogStore#highWaterMark(String, String, String)}. */
    public static io.runlog.HighWaterMark highWaterMark(final RunlogStore store, final String project, final String key,
                                                        final String sourceId) {
        return IncrementChecks.highWaterMark(store, project, key, sourceId);
    }

    private static boolean isOwnExport(final FileSystemFacade fs, final Path dir, final String sourceId) {
        try {
            return sourceId.equals(SourceIdentity.existing(fs, dir));
        } catch (final java.io.IOException e) {
            return false;
        }
    }

    static Map<String, Long> lengths(final ExperimentCut cut) {
        final Map<String, Long> m = new HashMap<>();
        for (final MetricInfo info : cut.metrics()) {
            m.put(ImportMarks.metric(info.name()), info.count());
        }
        for (final Map.Entry<String, Integer> p : cut.parameterValues().entrySet()) {
            m.put(ImportMarks.parameter(p.getKey()), (long) p.getValue());
        }
        m.put(ImportMarks.OUTPUT, (long) cut.outputLines());
        m.put(ImportMarks.ITEMS, (long) cut.items());
        m.put(ImportMarks.PROMPTS, (long) cut.prompts());
        return m;
    }

    private static List<String> streams(final ArchiveSummary summary, final Survey survey) {
        final List<String> list = new ArrayList<>();
        for (final String name : summary.metricNames()) {
            list.add(ImportMarks.metric(name));
        }
        for (final String name : survey.parameterNames) {
            list.add(ImportMarks.parameter(name));
        }
        list.add(ImportMarks.OUTPUT);
        list.add(ImportMarks.ITEMS);
        list.add(ImportMarks.PROMPTS);
        return list;
    }


}
