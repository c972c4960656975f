package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.RunlogStore;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.StoreAccess;
import io.runlog.store.ExperimentEngine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Internal: pass 2 of an {@link ArchiveImporter} import. It reads the verified archive again and
 * appends each stream's entries beyond its mark ({@link ImportMarks}), recognising the entries a
 * crashed earlier run already wrote beyond the mark ({@link ResumeTail}), so nothing is written
 * twice. The importer owns the experiment, its import lock and the prompt reservation; this pass
 * only appends and counts, and the importer writes the end marks from its counts
 * ({@link #archiveCounts}, {@link #targetLengthAfter}).
 */
final class ImportPass implements ArchiveVisitor {
    private final RunlogStore store;
    private final Path file;
    private final String targetProject;
    private final ArchiveImporter.Progress progress;
    final ArchiveSummary summary;
    final Experiment experiment;
    final ExperimentEngine engine;
    final ImportMarks marks;
    final Map<String, Long> lengths;
    final Map<String, Long> archiveCounts = new HashMap<>();
    final Map<String, ResumeTail<?>> tails = new HashMap<>();
    /** Streams this import appended entries to. */
    final Set<String> appended = new java.util.HashSet<>();
    /** Streams whose tail is read from the mark on (metrics): their cursor counts from the mark. */
    final Set<String> tailFromMark = new java.util.HashSet<>();

    /**
     * The target length the end mark records for a stream: where the entries this import holds
     * of the source end in the target. If it appended entries, they end the stream. If it only
     * recognised entries of a crashed run's tail, they end where the matching stopped: the rest
     * of that tail (a crashed run that wrote more than this archive holds) stays beyond the mark
     * and is matched by the next import, not duplicated by it.
     */
    long targetLengthAfter(final String stream, final long markLength, final long afterLength) {
        final ResumeTail<?> t = tails.get(stream);
        if (t == null || appended.contains(stream)) {
            return afterLength;
        }
        return tailFromMark.contains(stream) ? Math.max(0, markLength) + t.cursor : t.cursor;
    }
    MetricHandle[] handles;
    long pointsAdded;
    long othersAdded;
    long pointsDone;
    /** Prompt slots of the project's quota held for this import, and how many prompts used them. */
    long promptSlots;
    long promptsWritten;

    ImportPass(final RunlogStore store, final Path file, final String targetProject, final ArchiveImporter.Progress progress,
               final ArchiveSummary summary, final Experiment experiment, final ExperimentEngine engine,
               final ImportMarks marks, final Map<String, Long> lengths, final long promptSlots) {
        this.store = store;
        this.file = file;
        this.targetProject = targetProject;
        this.progress = progress;
        this.summary = summary;
        this.experiment = experiment;
        this.engine = engine;
        this.marks = marks;
        this.lengths = lengths;
        this.promptSlots = promptSlots;
        this.bases = summary.basesOrZero();
    }

    final IncrementBases bases;

    /**
     * The index in its source stream of the archive's next entry of {@code stream} (its base
     * plus the entries seen so far), counted; only streams with entries get a count, so a
     * stream the archive holds nothing of never moves the mark.
     */
    private long next(final String stream, final long base) {
        final long i = archiveCounts.getOrDefault(stream, base);
        archiveCounts.put(stream, i + 1);
        return i;
    }

    @Override
    public void metrics(final List<String> names, final long[] points) {
        handles = new MetricHandle[names.size()];
        for (int m = 0; m < names.size(); m++) {
            handles[m] = experiment.metric(names.get(m));
            if (points[m] > 0) {
                archiveCounts.put(ImportMarks.metric(names.get(m)), summary.basesOrZero().metric(m) + points[m]);
            }
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
        if (i < n) {
            appended.add(stream);
        }
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
            final long index = next(stream, bases.parameter(p.name()));
            cold(stream, index, p, () -> engine.parameterHistory(p.name()), engine::logParameter);
        }
        step();
    }

    @Override
    public void output(final List<OutputLine> lines) {
        for (final OutputLine line : lines) {
            final long index = next(ImportMarks.OUTPUT, bases.outputLines());
            cold(ImportMarks.OUTPUT, index, line, engine::outputLines, engine::logOutput);
        }
        step();
    }

    @Override
    public void prompts(final List<Prompt> prompts) {
        for (final Prompt p : prompts) {
            final long index = next(ImportMarks.PROMPTS, bases.prompts());
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
        final long index = next(ImportMarks.ITEMS, bases.items());
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
        appended.add(stream);
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
        if (readsFromMark) {
            tailFromMark.add(stream);
        }
        return tails.computeIfAbsent(stream, s -> new ResumeTail<>(read.apply(from), readsFromMark ? 0 : (int) from));
    }
}
