package io.runlog.archive;

import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.ItemType;
import io.runlog.store.ExperimentCut;

import java.util.Map;

/**
 * Internal: the hard limits an import must meet (docs/format/archive.md, "Importing"), checked
 * for everything the import would add before anything is added, so a refused import leaves the
 * store unchanged. Rate limits are not checked here: the sync server asks them through
 * {@link ArchiveImporter.Gatekeeper}.
 */
final class ImportLimits {
    private ImportLimits() {
    }

    /**
     * Throws {@link HardLimitException} if adding what the archive holds beyond {@code marks}
     * would take the experiment ({@code cut}, its streams' {@code lengths}, its items per type)
     * over {@code limits}; {@code scope} names the experiment and the archive in the message.
     */
    static void check(final HardLimits limits, final String scope, final ArchiveSummary summary,
                      final ArchiveImporter.Survey survey, final ExperimentCut cut, final ImportMarks marks,
                      final Map<String, Long> lengths, final long[] itemCounts) {
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
        final long addItems = toAdd(ImportMarks.ITEMS, summary.basesOrZero().items() + survey.itemTypes.size(), marks,
            lengths);
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

    /** Entries of a stream this import will at least add (assuming a pending tail is all its own). */
    static long toAdd(final String stream, final long inArchive, final ImportMarks marks,
                              final Map<String, Long> lengths) {
        final long tail = Math.max(0, lengths.getOrDefault(stream, 0L) - Math.max(0, marks.targetLength(stream)));
        return Math.max(0, inArchive - marks.imported(stream) - tail);
    }
}
