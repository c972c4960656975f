package io.runlog.archive;

import io.runlog.internal.StoreAccess;
import io.runlog.AlreadyExistsException;
import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.InvalidValueException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.Prompt;
import io.runlog.RunlogStore;
import io.runlog.gate.ThrottleWarning;
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
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

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
 */
public final class ArchiveImporter {
    /** Told after every block of pass 2. */
    public interface Progress {
        void update(long pointsDone, long pointsTotal);
    }

    private final RunlogStore store;
    private final Path file;
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

    /** With {@code options} (null: into the archive's project and key). */
    public static ImportResult importArchive(final RunlogStore store, final Path file, final Progress progress,
                                             final ImportOptions options) {
        return new ArchiveImporter(store, file, progress, options).run();
    }

    /** What pass 1 learns beyond the summary. */
    private static final class Survey implements ArchiveVisitor {
        final Set<String> parameterNames = new LinkedHashSet<>();
        final List<ItemType> itemTypes = new ArrayList<>();

        @Override
        public void parameters(final List<Parameter> values) {
            for (final Parameter p : values) {
                parameterNames.add(p.name());
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
                // a new experiment: check the hard limits before creating anything
                final ExperimentCut empty = new ExperimentCut(List.of(), Map.of(), 0, 0, 0);
                final ImportMarks none = new ImportMarks();
                final Map<String, Long> lengths = new HashMap<>();
                for (final String s : streams(summary, survey)) {
                    none.put(s, 0, 0);
                }
                checkHardLimits(summary, survey, empty, none, lengths, new long[ItemType.values().length]);
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
        final ImportMarks marks = ImportMarks.read(fs, dir, h.sourceId());
        if (marks == null && isOwnExport(fs, dir, h.sourceId())) {
            // the original (a copy of it has marks of its source): everything in the archive came from here
            return new ImportResult(targetProject, targetKey, false, 0, points, 0, others);
        }
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
        checkHardLimits(summary, survey, cut, begin, lengths, itemCounts);
        if (extended) {
            begin.write(fs, dir, h.sourceId());
        }
        // After the marks: an experiment holding only this source's data (an empty or new one: see the
        // check above) exports under its original's identity, so copies are recognised as such.
        SourceIdentity.adopt(fs, dir, h.sourceId());
        final StoreEngine se = StoreAccess.engine(store);
        final long promptSlots = toAdd(ImportMarks.PROMPTS, summary.totals().prompts(), begin, lengths);
        se.reservePrompts(targetProject, promptSlots, promptSlots + " prompts of archive " + file);
        final Pass2 pass = new Pass2(summary, experiment, engine, begin, lengths, promptSlots);
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
            end.put(m.getKey(), imported, afterLengths.getOrDefault(m.getKey(), 0L));
        }
        end.write(fs, dir, h.sourceId());
        return new ImportResult(targetProject, targetKey, created, pass.pointsAdded, points - pass.pointsAdded,
            pass.othersAdded, others - pass.othersAdded);
    }

    private static boolean isOwnExport(final FileSystemFacade fs, final Path dir, final String sourceId) {
        try {
            return sourceId.equals(SourceIdentity.existing(fs, dir));
        } catch (final java.io.IOException e) {
            return false;
        }
    }

    private static Map<String, Long> lengths(final ExperimentCut cut) {
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

    /** Entries of a stream this import will at least add (assuming a pending tail is all its own). */
    private static long toAdd(final String stream, final long inArchive, final ImportMarks marks,
                              final Map<String, Long> lengths) {
        final long tail = Math.max(0, lengths.getOrDefault(stream, 0L) - Math.max(0, marks.targetLength(stream)));
        return Math.max(0, inArchive - marks.imported(stream) - tail);
    }

    private void checkHardLimits(final ArchiveSummary summary, final Survey survey, final ExperimentCut cut,
                                 final ImportMarks marks, final Map<String, Long> lengths, final long[] itemCounts) {
        final HardLimits limits = StoreAccess.engine(store).options().hardLimits();
        final String scope = "experiment " + targetProject + "/" + targetKey + " (import of "
            + file + ")";
        long newMetrics = 0;
        for (final String name : summary.metricNames()) {
            if (!lengths.containsKey(ImportMarks.metric(name))) {
                newMetrics++;
            }
        }
        if (cut.metrics().size() + newMetrics > limits.uniqueMetrics()) {
            throw new HardLimitException("uniqueMetrics", limits.uniqueMetrics(), cut.metrics().size(),
                newMetrics + " new metrics", scope);
        }
        long newParameters = 0;
        for (final String name : survey.parameterNames) {
            if (!lengths.containsKey(ImportMarks.parameter(name))) {
                newParameters++;
            }
        }
        if (cut.parameterValues().size() + newParameters > limits.uniqueParameters()) {
            throw new HardLimitException("uniqueParameters", limits.uniqueParameters(), cut.parameterValues().size(),
                newParameters + " new parameters", scope);
        }
        final long addItems = toAdd(ImportMarks.ITEMS, survey.itemTypes.size(), marks, lengths);
        final long[] perType = new long[ItemType.values().length];
        for (int i = (int) (survey.itemTypes.size() - addItems); i < survey.itemTypes.size(); i++) {
            perType[survey.itemTypes.get(i).ordinal()]++;
        }
        for (final ItemType t : ItemType.values()) {
            final long have = itemCounts[t.ordinal()];
            if (perType[t.ordinal()] > 0 && have + perType[t.ordinal()] > limits.items(t)) {
                throw new HardLimitException(HardLimits.name(t), limits.items(t), have, perType[t.ordinal()] + " "
                    + t + " items", scope);
            }
        }
    }

    /** Pass 2: appends each stream's entries beyond its mark. */
    private final class Pass2 implements ArchiveVisitor {
        final ArchiveSummary summary;
        final Experiment experiment;
        final ExperimentEngine engine;
        final ImportMarks marks;
        final Map<String, Long> lengths;
        final Map<String, Long> archiveCounts = new HashMap<>();
        final Map<String, ResumeTail<?>> tails = new HashMap<>();
        MetricHandle[] handles;
        long pointsAdded;
        long othersAdded;
        long pointsDone;
        /** Prompt slots of the project's quota held for this import, and how many prompts used them. */
        long promptSlots;
        long promptsWritten;

        Pass2(final ArchiveSummary summary, final Experiment experiment, final ExperimentEngine engine,
              final ImportMarks marks, final Map<String, Long> lengths, final long promptSlots) {
            this.summary = summary;
            this.experiment = experiment;
            this.engine = engine;
            this.marks = marks;
            this.lengths = lengths;
            this.promptSlots = promptSlots;
        }

        @Override
        public void metrics(final List<String> names, final long[] points) {
            handles = new MetricHandle[names.size()];
            for (int m = 0; m < names.size(); m++) {
                handles[m] = experiment.metric(names.get(m));
                archiveCounts.put(ImportMarks.metric(names.get(m)), points[m]);
            }
        }

        @Override
        public void points(final int metric, final long first, final int n, final long[] steps, final long[] timestamps,
                           final long[] valueBits) {
            final String name = summary.metricNames().get(metric);
            final String stream = ImportMarks.metric(name);
            final long imported = marks.imported(stream);
            int i = (int) Math.max(0, Math.min(n, imported - first));
            @SuppressWarnings("unchecked")
            final ResumeTail<MetricSeries> tail = (ResumeTail<MetricSeries>) tail(stream, from -> engine.readMetric(name, from), true);
            while (i < n && tail != null && tail.pending()) {
                final int k = i;
                if (!tail.match(s -> s.step(tail.cursor) == steps[k] && s.timestamp(tail.cursor) == timestamps[k]
                    && s.valueBits(tail.cursor) == valueBits[k], tail.data.size())) {
                    break;
                }
                i++;
            }
            final MetricHandle handle = handles[metric];
            for (; i < n; i++) {
                handle.log(steps[i], timestamps[i], Double.longBitsToDouble(valueBits[i]));
                pointsAdded++;
            }
            pointsDone += n;
            step();
        }

        /** Reports progress after every block of pass 2. */
        private void step() {
            progress.update(pointsDone, summary.totals().points());
        }

        @Override
        public void parameters(final List<Parameter> values) {
            for (final Parameter p : values) {
                final String stream = ImportMarks.parameter(p.name());
                final long index = archiveCounts.merge(stream, 1L, Long::sum) - 1;
                cold(stream, index, p, () -> engine.parameterHistory(p.name()), engine::logParameter);
            }
            step();
        }

        @Override
        public void output(final List<OutputLine> lines) {
            for (final OutputLine line : lines) {
                final long index = archiveCounts.merge(ImportMarks.OUTPUT, 1L, Long::sum) - 1;
                cold(ImportMarks.OUTPUT, index, line, engine::outputLines, engine::logOutput);
            }
            step();
        }

        @Override
        public void prompts(final List<Prompt> prompts) {
            for (final Prompt p : prompts) {
                final long index = archiveCounts.merge(ImportMarks.PROMPTS, 1L, Long::sum) - 1;
                cold(ImportMarks.PROMPTS, index, p, engine::prompts, this::writePrompt);
            }
            step();
        }

        /** Writes a prompt on a slot reserved for the import (taking one more if a logger's tail made them short). */
        private void writePrompt(final Prompt p) {
            if (promptsWritten == promptSlots) {
                StoreAccess.engine(store).reservePrompts(targetProject, 1, "prompt of archive " + file);
                promptSlots++;
            }
            engine.logPrompt(p);
            promptsWritten++;
        }

        @Override
        public void throttle(final ThrottleWarning warning) {
            engine.mergeThrottleWarning(warning); // per type the earliest first, latest last, larger counts: idempotent
            step();
        }

        @Override
        public void item(final Item item, final InputStream payload) {
            final long index = archiveCounts.merge(ImportMarks.ITEMS, 1L, Long::sum) - 1;
            cold(ImportMarks.ITEMS, index, item, engine::items, i -> engine.logItem(i.type(), i.name(), i.metadata(),
                payload, i.timestamp()));
            step();
        }

        private <T> void cold(final String stream, final long index, final T entry, final Supplier<List<T>> read,
                              final java.util.function.Consumer<T> write) {
            if (index < marks.imported(stream)) {
                return;
            }
            @SuppressWarnings("unchecked")
            final ResumeTail<List<T>> tail = (ResumeTail<List<T>>) tail(stream, from -> read.get(), false);
            if (tail != null && tail.pending() && tail.match(list -> Objects.equals(list.get(tail.cursor), entry),
                tail.data.size())) {
                return;
            }
            write.accept(entry);
            othersAdded++;
        }

        /**
         * The target's entries beyond the mark, loaded on first use; null if there are none.
         * {@code readsFromMark}: {@code read} returns only the entries from the mark on (a metric's
         * tail, so memory stays bounded by the tail); otherwise all of them.
         */
        private ResumeTail<?> tail(final String stream, final java.util.function.LongFunction<?> read,
                                   final boolean readsFromMark) {
            final long from = Math.max(0, marks.targetLength(stream));
            final long length = lengths.getOrDefault(stream, 0L);
            if (length <= from) {
                return null;
            }
            return tails.computeIfAbsent(stream, s -> new ResumeTail<>(read.apply(from), readsFromMark ? 0 : (int) from));
        }
    }


}
