package io.runlog.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

import static io.runlog.store.JournalLayout.*;

/**
 * Rebuilds an experiment's in-memory {@link ExperimentCatalog} (and its throttle warning flag)
 * by one scan of its journal when the experiment opens. Internal; the caller holds the
 * experiment lock. Every record is checked as it is indexed: a point batch whose header,
 * directory and runs do not add up, or a metric defined out of order, is corruption.
 */
final class CatalogRebuild {
    private CatalogRebuild() {
    }

    /** Rebuilds {@code catalog} and {@code throttles} from every record of {@code journal}. */
    static void scan(final Journal journal, final ExperimentCatalog catalog, final ThrottleBook throttles) {
        journal.rewind();
        final String[] name = new String[1];
        DocumentContext dc;
        while ((dc = journal.next()) != null) {
            try (DocumentContext doc = dc) {
                final RecordDecoder d = journal.decoder();
                final long index = doc.index();
                switch (d.type()) {
                    case EXPERIMENT_HEADER -> catalog.header(ColdRecords.header(d));
                    case METRIC_DEFINED -> {
                        final int id = ColdRecords.metricDefined(d, name);
                        if (id != catalog.metricCount()) {
                            throw d.corrupt("metric id " + id + " defined out of order, expected " + catalog.metricCount(), 4);
                        }
                        catalog.defineMetric(id, name[0]);
                    }
                    case POINT_BATCH -> indexBatch(catalog, d, index);
                    case PARAMETER -> catalog.addParameter(ColdRecords.parameter(d));
                    case OUTPUT_LINE -> catalog.outputRecords().addLong(index);
                    case ITEM -> {
                        catalog.itemRecords().addLong(index);
                        catalog.countItem(ColdRecords.itemType(d));
                    }
                    case PROMPT -> catalog.promptRecords().addLong(index);
                    case THROTTLE_WARNING -> throttles.apply(ColdRecords.throttleWarning(d), false);
                    default -> throw ColdRecords.unexpected(d, RecordType.POINT_BATCH);
                }
            }
        }
    }

    /**
     * Indexes a POINT_BATCH record's runs into the catalog, checking that its header and directory
     * add up. The record's version byte selects the directory layout: 24-byte entries with a value
     * coding from version 3, 20-byte entries of XOR-coded runs before.
     */
    private static void indexBatch(final ExperimentCatalog catalog, final RecordDecoder d, final long index) {
        final Bytes<?> b = d.bytes();
        final long s = d.start();
        if (d.length() < BATCH_HEADER_LENGTH) {
            throw d.corrupt("point batch of " + d.length() + " bytes is shorter than its header", 0);
        }
        final int version = b.readUnsignedByte(s + VERSION_OFFSET);
        final int entryLength = directoryEntryLength(version);
        final int runs = b.readInt(s + BATCH_RUN_COUNT_OFFSET);
        final int points = b.readInt(s + BATCH_POINT_COUNT_OFFSET);
        if (runs <= 0 || points <= 0 || runs > points
            || d.length() < BATCH_HEADER_LENGTH + (long) runs * entryLength) {
            throw d.corrupt("point batch header says " + runs + " runs and " + points + " points, inconsistent with its "
                + d.length() + " bytes", BATCH_RUN_COUNT_OFFSET);
        }
        long runOffset = BATCH_HEADER_LENGTH + (long) runs * entryLength;
        long total = 0;
        for (int r = 0; r < runs; r++) {
            final long entry = s + BATCH_HEADER_LENGTH + (long) r * entryLength;
            final int id = b.readInt(entry + ENTRY_METRIC_ID_OFFSET);
            final int count = b.readInt(entry + ENTRY_COUNT_OFFSET);
            final int stepBytes = b.readInt(entry + ENTRY_STEP_BYTES_OFFSET);
            final int timestampBytes = b.readInt(entry + ENTRY_TIMESTAMP_BYTES_OFFSET);
            final int valueBytes = b.readInt(entry + ENTRY_VALUE_BYTES_OFFSET);
            final int exponent = version >= VERSION_VALUE_CODING ? valueExponent(d, entry, r, version) : MetricExtents.XOR_VALUES;
            final int maxValueBytes = exponent == MetricExtents.XOR_VALUES ? XorValue.MAX_LENGTH
                : exponent == MetricExtents.FLOAT32_VALUES ? Float32Value.MAX_LENGTH : VarLong.MAX_LENGTH; // DECIMAL, BITS
            if (id < 0 || id >= catalog.metricCount() || count <= 0
                || stepBytes < count || stepBytes > (long) VarLong.MAX_LENGTH * count
                || timestampBytes < count || timestampBytes > (long) VarLong.MAX_LENGTH * count
                || valueBytes < count || valueBytes > (long) maxValueBytes * count) {
                throw d.corrupt("point batch run " + r + " is impossible: metric id " + id + ", " + count + " points, "
                    + stepBytes + " step bytes, " + timestampBytes + " timestamp bytes, " + valueBytes + " value bytes",
                    entry - s);
            }
            catalog.extents(id).add(index, (int) runOffset, count, stepBytes, timestampBytes, valueBytes, exponent);
            runOffset += (long) stepBytes + timestampBytes + valueBytes;
            total += count;
        }
        if (total != points || runOffset != d.length()) {
            throw d.corrupt("point batch runs hold " + total + " points in " + runOffset + " bytes, its header says "
                + points + " points in " + d.length() + " bytes", BATCH_POINT_COUNT_OFFSET);
        }
        final long first = b.readLong(s + BATCH_FIRST_POSITION_OFFSET);
        final long end = b.readLong(s + BATCH_END_POSITION_OFFSET);
        if (first < 0 || end - first < points || end > ExperimentEngine.MAX_RING_POSITION) {
            throw d.corrupt("point batch covers impossible ring positions [" + first + ", " + end + ") for " + points
                + " points", BATCH_FIRST_POSITION_OFFSET);
        }
        catalog.ringEndPosition(end);
    }

    /**
     * The value coding of a directory entry of version 3 or later as {@link MetricExtents#valueExponent}:
     * the exponent of a DECIMAL run, {@link MetricExtents#XOR_VALUES}, {@link MetricExtents#BITS_VALUES}
     * or {@link MetricExtents#FLOAT32_VALUES}. An unknown mode (FLOAT32 in a version 3 record), an
     * exponent above {@link DecimalValue#MAX_EXPONENT}, or a non-zero exponent on another mode is corruption.
     */
    private static int valueExponent(final RecordDecoder d, final long entry, final int r, final int version) {
        final Bytes<?> b = d.bytes();
        final int mode = b.readUnsignedByte(entry + ENTRY_VALUE_MODE_OFFSET);
        final int exponent = b.readUnsignedByte(entry + ENTRY_VALUE_EXPONENT_OFFSET);
        if (mode == VALUE_MODE_XOR && exponent == 0) {
            return MetricExtents.XOR_VALUES;
        }
        if (mode == VALUE_MODE_DECIMAL && exponent <= DecimalValue.MAX_EXPONENT) {
            return exponent;
        }
        if (mode == VALUE_MODE_BITS && exponent == 0) {
            return MetricExtents.BITS_VALUES;
        }
        if (mode == VALUE_MODE_FLOAT32 && exponent == 0 && version >= VERSION_FLOAT32) {
            return MetricExtents.FLOAT32_VALUES;
        }
        throw d.corrupt("point batch run " + r + " has an impossible value coding: mode " + mode + ", exponent "
            + exponent, entry + ENTRY_VALUE_MODE_OFFSET - d.start());
    }
}
