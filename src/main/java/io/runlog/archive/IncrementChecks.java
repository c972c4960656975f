package io.runlog.archive;

import io.runlog.internal.StoreAccess;
import io.runlog.InvalidValueException;
import io.runlog.RunlogStore;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreEngine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Internal, for {@link ArchiveImporter}: what an archive 1.2 increment asks of the importer
 * before anything is written: the gap check against the target's marks, the units it would add
 * per data type (for the server's rate limits), the mark a store holding all of it has, and the
 * public view of an experiment's marks.
 */
final class IncrementChecks {
    private IncrementChecks() {
    }

    /** Refuses an increment that starts a stream after what {@code marks} hold (a gap); nothing is written. */
    static void checkGap(final ArchiveSummary summary, final ArchiveImporter.Survey survey, final ImportMarks marks,
                         final String sourceId, final String scope) {
        final IncrementBases b = summary.bases();
        if (b == null) {
            return; // a whole archive starts every stream at 0
        }
        for (int m = 0; m < summary.metricNames().size(); m++) {
            final String s = ImportMarks.metric(summary.metricNames().get(m));
            if (summary.metricPoints()[m] > 0 && b.metric(m) > marks.imported(s)) {
                throw new io.runlog.IncrementGapException("metric '" + summary.metricNames().get(m) + "'", b.metric(m),
                    marks.imported(s), marks.toHighWaterMark(sourceId), scope);
            }
        }
        for (final String name : survey.parameterNames) {
            final String s = ImportMarks.parameter(name);
            if (b.parameter(name) > marks.imported(s)) {
                throw new io.runlog.IncrementGapException("parameter '" + name + "'", b.parameter(name), marks.imported(s),
                    marks.toHighWaterMark(sourceId), scope);
            }
        }
        gap("output lines", ImportMarks.OUTPUT, summary.totals().outputLines(), b.outputLines(), marks, sourceId, scope);
        gap("items", ImportMarks.ITEMS, summary.totals().items(), b.items(), marks, sourceId, scope);
        gap("prompts", ImportMarks.PROMPTS, summary.totals().prompts(), b.prompts(), marks, sourceId, scope);
    }

    private static void gap(final String what, final String stream, final long count, final long base,
                            final ImportMarks marks, final String sourceId, final String scope) {
        if (count > 0 && base > marks.imported(stream)) {
            throw new io.runlog.IncrementGapException(what, base, marks.imported(stream), marks.toHighWaterMark(sourceId),
                scope);
        }
    }

    /** Per data type, the entries of the archive beyond {@code marks} (what an import would add, at most). */
    static long[] newUnits(final ArchiveSummary summary, final ArchiveImporter.Survey survey, final ImportMarks marks) {
        final IncrementBases b = summary.basesOrZero();
        final long[] units = new long[io.runlog.gate.DataType.values().length];
        for (int m = 0; m < summary.metricNames().size(); m++) {
            units[io.runlog.gate.DataType.METRICS.ordinal()] += beyond(b.metric(m), summary.metricPoints()[m],
                marks.imported(ImportMarks.metric(summary.metricNames().get(m))));
        }
        for (final Map.Entry<String, Long> p : survey.parameterValues.entrySet()) {
            units[io.runlog.gate.DataType.PARAMETERS.ordinal()] += beyond(b.parameter(p.getKey()), p.getValue(),
                marks.imported(ImportMarks.parameter(p.getKey())));
        }
        units[io.runlog.gate.DataType.OUTPUT.ordinal()] += beyond(b.outputLines(), summary.totals().outputLines(),
            marks.imported(ImportMarks.OUTPUT));
        units[io.runlog.gate.DataType.OTHER.ordinal()] += beyond(b.items(), summary.totals().items(),
            marks.imported(ImportMarks.ITEMS)) + beyond(b.prompts(), summary.totals().prompts(),
            marks.imported(ImportMarks.PROMPTS));
        return units;
    }

    /** Entries of {@code [base, base + count)} at or beyond {@code held}. */
    private static long beyond(final long base, final long count, final long held) {
        return Math.max(0, Math.min(count, base + count - held));
    }

    /** The mark of a store holding everything up to the archive's end. */
    static io.runlog.HighWaterMark archiveEnd(final ArchiveSummary summary, final ArchiveImporter.Survey survey) {
        final IncrementBases b = summary.basesOrZero();
        final Map<String, Long> metrics = new java.util.LinkedHashMap<>();
        for (int m = 0; m < summary.metricNames().size(); m++) {
            metrics.put(summary.metricNames().get(m), b.metric(m) + summary.metricPoints()[m]);
        }
        final Map<String, Long> params = new java.util.LinkedHashMap<>();
        for (final String name : survey.parameterNames) {
            params.put(name, b.parameter(name) + survey.parameterValues.get(name));
        }
        return new io.runlog.HighWaterMark(summary.header().sourceId(), metrics, params,
            b.outputLines() + summary.totals().outputLines(), b.items() + summary.totals().items(),
            b.prompts() + summary.totals().prompts());
    }

    /** See {@link RunlogStore#highWaterMark(String, String, String)}. */
    static io.runlog.HighWaterMark highWaterMark(final RunlogStore store, final String project, final String key,
                                                        final String sourceId) {
        final StoreEngine se = StoreAccess.engine(store);
        se.checkOpen();
        if (sourceId != null && !sourceId.matches("[0-9a-f]{32}")) {
            throw new InvalidValueException("source id must be 32 lower-case hex digits, got '" + sourceId + "'");
        }
        final FileSystemFacade fs = StoreAccess.fileSystem(se.options());
        if (!se.projectExists(project) || !se.experimentExists(project, key)) {
            return sourceId == null ? io.runlog.HighWaterMark.EMPTY : io.runlog.HighWaterMark.empty(sourceId);
        }
        final Path dir = se.experimentDir(project, key);
        String id = sourceId;
        if (id == null) {
            final List<String> sources = ImportMarks.sources(fs, dir);
            if (sources.isEmpty()) {
                return io.runlog.HighWaterMark.EMPTY;
            }
            if (sources.size() > 1) {
                throw new InvalidValueException("experiment " + project + "/" + key + " holds imports of "
                    + sources.size() + " sources " + sources + ": name one");
            }
            id = sources.get(0);
        }
        final ImportMarks marks = ImportMarks.read(fs, dir, id);
        return marks == null ? io.runlog.HighWaterMark.empty(id) : marks.toHighWaterMark(id);
    }

}
