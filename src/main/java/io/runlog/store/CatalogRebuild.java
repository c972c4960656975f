package io.runlog.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.DoubleColumn;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.ValueMode;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;

/**
 * Rebuilds an experiment's in-memory {@link ExperimentCatalog} (and its throttle warning flag)
 * by one scan of its journal when the experiment opens. Internal; the caller holds the
 * experiment lock. Every record is checked as it is indexed: a point batch whose header,
 * directory and runs do not add up, or a metric defined out of order, is corruption.
 */
final class CatalogRebuild {
    private CatalogRebuild() {
    }

    /** Told of every record before it is indexed (a check's way to know where a scan failed). */
    interface Progress {
        Progress NONE = index -> { };

        /** The record at journal {@code index} passed its checks (its CRC32C from format 5) and was indexed. */
        void indexed(long index);
    }

    /** Rebuilds {@code catalog} and {@code throttles} from every record of {@code journal}. */
    static void scan(final Journal journal, final ExperimentCatalog catalog, final ThrottleBook throttles) {
        scan(journal, catalog, throttles, Progress.NONE);
    }

    /** As {@link #scan(Journal, ExperimentCatalog, ThrottleBook)}, telling {@code progress} of each record first. */
    static void scan(final Journal journal, final ExperimentCatalog catalog, final ThrottleBook throttles,
                     final Progress progress) {
        journal.rewind();
        scanNew(journal, catalog, throttles, progress);
    }

    /**
     * Indexes the records after the last one {@link Journal#next()} returned (a read-only
     * experiment's refresh: what its writer appended since). Returns how many were indexed.
     */
    static long scanNew(final Journal journal, final ExperimentCatalog catalog, final ThrottleBook throttles) {
        return scanNew(journal, catalog, throttles, Progress.NONE);
    }

    private static long scanNew(final Journal journal, final ExperimentCatalog catalog, final ThrottleBook throttles,
                                final Progress progress) {
        long records = 0;
        final String[] name = new String[1];
        DocumentContext dc;
        while ((dc = journal.next()) != null) {
            try (DocumentContext doc = dc) {
                final RecordDecoder d = journal.decoder();
                final long index = doc.index();
                journal.countScanned(index);
                switch (d.type()) {
                    case EXPERIMENT_HEADER -> {
                        catalog.header(ColdRecords.header(d));
                        catalog.headerVersion(d.version());
                    }
                    case METRIC_DEFINED -> {
                        final int id = ColdRecords.metricDefined(d, name, catalog.metricCount());
                        catalog.defineMetric(id, name[0]);
                    }
                    case POINT_BATCH -> indexBatch(journal, catalog, d, index);
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
                progress.indexed(index);
            }
            records++;
        }
        return records;
    }

    /**
     * Indexes a POINT_BATCH record's runs into the catalog, checking that its header and directory
     * add up. The record's version byte selects the directory layout ({@link BatchEntryDescriptor#length}):
     * entries with a value mode and exponent from version 3, entries of XOR-coded runs before;
     * from version 6, entries with step and timestamp codings and a run CRC32C, and a Directory
     * CRC32C after them, checked here too (the record's trailer, checked before, covers every byte
     * once already; the directory CRC is what a reader of one run checks instead, so it must hold
     * wherever the scan accepted a record).
     */
    private static void indexBatch(final Journal journal, final ExperimentCatalog catalog, final RecordDecoder d,
                                   final long index) {
        final Bytes<?> b = d.bytes();
        final long s = d.start();
        if (d.length() < PointBatchDescriptor.LENGTH) {
            throw d.corrupt("point batch of " + d.length() + " bytes is shorter than its header", 0);
        }
        final int version = d.version();
        final int entryLength = BatchEntryDescriptor.length(version);
        final int runs = b.readInt(s + PointBatchDescriptor.RUN_COUNT_OFFSET);
        final int points = b.readInt(s + PointBatchDescriptor.POINT_COUNT_OFFSET);
        if (runs <= 0 || points <= 0 || runs > points
            || d.length() < PointBatchDescriptor.runsOffset(runs, version)) {
            throw d.corrupt("point batch header says " + runs + " runs and " + points + " points, inconsistent with its "
                + d.length() + " bytes", PointBatchDescriptor.RUN_COUNT_OFFSET);
        }
        final boolean runCrcs = version >= JournalLayout.VERSION_RUN_CHECKSUM;
        if (runCrcs) {
            final long crcAt = PointBatchDescriptor.directoryCrcOffset(runs);
            final int stored = b.readInt(s + crcAt);
            final int computed = journal.directoryCrc(index, b.addressForRead(s, (int) crcAt), (int) crcAt);
            if (stored != computed) {
                throw d.corrupt("Directory CRC32C mismatch: the record holds " + RecordDecoder.hex(stored)
                    + ", its header and directory give " + RecordDecoder.hex(computed), crcAt);
            }
        }
        long runOffset = PointBatchDescriptor.runsOffset(runs, version);
        long total = 0;
        for (int r = 0; r < runs; r++) {
            final long entry = s + PointBatchDescriptor.entryOffset(r, entryLength);
            final int id = b.readInt(entry + BatchEntryDescriptor.METRIC_ID_OFFSET);
            final int count = b.readInt(entry + BatchEntryDescriptor.COUNT_OFFSET);
            final int stepBytes = b.readInt(entry + BatchEntryDescriptor.STEP_BYTES_OFFSET);
            final int timestampBytes = b.readInt(entry + BatchEntryDescriptor.TIMESTAMP_BYTES_OFFSET);
            final int valueBytes = b.readInt(entry + BatchEntryDescriptor.VALUE_BYTES_OFFSET);
            final int mode = version >= JournalLayout.VERSION_VALUE_CODING ? valueMode(d, entry, r, version) : ValueMode.JOURNAL_XOR;
            final int exponent = mode == ValueMode.JOURNAL_DECIMAL
                ? b.readUnsignedByte(entry + BatchEntryDescriptor.VALUE_EXPONENT_OFFSET) : 0;
            final int stepCoding = runCrcs ? columnCoding(d, entry, BatchEntryDescriptor.STEP_CODING_OFFSET, r) : ColumnCoding.DELTA_VARINT;
            final int timestampCoding = runCrcs
                ? columnCoding(d, entry, BatchEntryDescriptor.TIMESTAMP_CODING_OFFSET, r) : ColumnCoding.DELTA_VARINT;
            final int runCrc = runCrcs ? b.readInt(entry + BatchEntryDescriptor.RUN_CRC_OFFSET) : 0;
            if (id < 0 || id >= catalog.metricCount() || count <= 0
                || stepBytes < ColumnCoding.minBytes(stepCoding, count) || stepBytes > ColumnCoding.maxBytes(stepCoding, count)
                || timestampBytes < ColumnCoding.minBytes(timestampCoding, count)
                || timestampBytes > ColumnCoding.maxBytes(timestampCoding, count)
                || valueBytes < minValueBytes(mode, count) || valueBytes > maxValueBytes(mode, count)) {
                throw d.corrupt("point batch run " + r + " is impossible: metric id " + id + ", " + count + " points, "
                    + stepBytes + " step bytes, " + timestampBytes + " timestamp bytes, " + valueBytes + " value bytes",
                    entry - s);
            }
            catalog.extents(id).add(index, (int) runOffset, count, stepBytes, timestampBytes, valueBytes, mode, exponent,
                stepCoding, timestampCoding, runCrc, runCrcs);
            runOffset += (long) stepBytes + timestampBytes + valueBytes;
            total += count;
        }
        if (total != points || runOffset != d.length()) {
            throw d.corrupt("point batch runs hold " + total + " points in " + runOffset + " bytes, its header says "
                + points + " points in " + d.length() + " bytes", PointBatchDescriptor.POINT_COUNT_OFFSET);
        }
        final long first = b.readLong(s + PointBatchDescriptor.FIRST_POSITION_OFFSET);
        final long end = b.readLong(s + PointBatchDescriptor.END_POSITION_OFFSET);
        if (first < 0 || end - first < points || end > ExperimentEngine.MAX_RING_POSITION) {
            throw d.corrupt("point batch covers impossible ring positions [" + first + ", " + end + ") for " + points
                + " points", PointBatchDescriptor.FIRST_POSITION_OFFSET);
        }
        catalog.ringEndPosition(end);
    }

    /** The {@link ColumnCoding} at {@code field} of a version 6 entry, checked: an unknown one is corruption. */
    private static int columnCoding(final RecordDecoder d, final long entry, final int field, final int r) {
        final int coding = d.bytes().readUnsignedByte(entry + field);
        if (!ColumnCoding.known(coding)) {
            throw d.corrupt("point batch run " + r + " has an unknown column coding " + coding, entry + field - d.start());
        }
        return coding;
    }

    /** Most bytes a journal value column of {@code count} values in mode {@code mode} takes. */
    private static long maxValueBytes(final int mode, final int count) {
        return switch (mode) {
            case ValueMode.JOURNAL_XOR -> (long) XorCoding.MAX_LENGTH * count;
            case ValueMode.JOURNAL_FLOAT32 -> (long) Float32Coding.MAX_LENGTH * count;
            case ValueMode.JOURNAL_DOUBLE_COLUMN -> DoubleColumn.maxLength(count);
            default -> (long) VarInt.MAX_LENGTH * count; // DECIMAL, BITS
        };
    }

    /** Fewest bytes a journal value column of {@code count} values in mode {@code mode} takes. */
    private static long minValueBytes(final int mode, final int count) {
        return mode == ValueMode.JOURNAL_DOUBLE_COLUMN ? 2 : count; // a scheme byte and a header byte at least
    }

    /**
     * The value mode of a directory entry of version 3 or later, checked: a known
     * {@link ValueMode#journalCode} that its record's version may hold (FLOAT32 from version 4),
     * with exponent 0 to {@link DecimalCoding#MAX_EXPONENT} for DECIMAL and 0 for every other mode.
     * Anything else is corruption.
     */
    private static int valueMode(final RecordDecoder d, final long entry, final int r, final int version) {
        final Bytes<?> b = d.bytes();
        final int mode = b.readUnsignedByte(entry + BatchEntryDescriptor.VALUE_MODE_OFFSET);
        final int exponent = b.readUnsignedByte(entry + BatchEntryDescriptor.VALUE_EXPONENT_OFFSET);
        final boolean valid = switch (mode) {
            case ValueMode.JOURNAL_XOR, ValueMode.JOURNAL_BITS -> exponent == 0;
            case ValueMode.JOURNAL_DECIMAL -> exponent <= DecimalCoding.MAX_EXPONENT;
            case ValueMode.JOURNAL_FLOAT32 -> exponent == 0 && version >= JournalLayout.VERSION_FLOAT32;
            case ValueMode.JOURNAL_DOUBLE_COLUMN -> exponent == 0 && version >= JournalLayout.VERSION_RUN_CHECKSUM;
            default -> false;
        };
        if (!valid) {
            throw d.corrupt("point batch run " + r + " has an impossible value coding: mode " + mode + ", exponent "
                + exponent + " (" + ValueMode.journalName(mode) + " in a record of version " + version + ")",
                entry + BatchEntryDescriptor.VALUE_MODE_OFFSET - d.start());
        }
        return mode;
    }
}
