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
 */
public record ArchiveSummary(ArchiveHeader header, List<String> metricNames, long[] metricPoints, ArchiveTotals totals,
                             int blocks, long fileBytes, long pointBytes, long[] blocksByType,
                             int minorVersion) {
}
