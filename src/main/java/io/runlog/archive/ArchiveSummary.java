package io.runlog.archive;

import java.util.List;

/**
 * Internal: what a complete read of an archive established.
 *
 * @param header       the EXPERIMENT block
 * @param metricNames  metric names in definition order
 * @param metricPoints points of each metric
 * @param totals       the footer's totals (equal to what was counted)
 * @param blocks       blocks before the footer
 * @param fileBytes    the file's size
 * @param pointBytes   bytes of every POINTS block (header, payload and CRC)
 * @param blocksByType blocks per type code
 * @param minorVersion the minor format version the file header says (its major version is
 *                     {@link ArchiveLayout#VERSION_MAJOR}, the only one this build reads)
 * @param bases        an increment's INCREMENT block, null for a whole archive (every base 0)
 */
public record ArchiveSummary(ArchiveHeader header, List<String> metricNames, long[] metricPoints, ArchiveTotals totals,
                             int blocks, long fileBytes, long pointBytes, long[] blocksByType,
                             int minorVersion, IncrementBases bases) {
    /** True for an increment (an archive with an INCREMENT block). */
    public boolean isIncrement() {
        return bases != null;
    }

    /** The bases: the increment's, or all 0 for a whole archive. */
    public IncrementBases basesOrZero() {
        return bases != null ? bases : IncrementBases.zero(metricNames.size());
    }
}
