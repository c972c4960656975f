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
 */
public record ArchiveSummary(ArchiveHeader header, List<String> metricNames, long[] metricPoints, ArchiveTotals totals,
                             int blocks, long fileBytes, long pointBytes, long[] blocksByType) {
}
