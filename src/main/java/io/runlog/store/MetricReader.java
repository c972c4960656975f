package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.MetricSeries;
import io.runlog.StoreAccessException;
import io.runlog.codec.BitsCoding;
import io.runlog.codec.DecimalCoding;
import io.runlog.codec.DoubleColumn;
import io.runlog.codec.FrameColumn;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.ValueMode;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.Arrays;

/**
 * Decodes a metric's points from the journal runs its {@link MetricExtents} list: a whole
 * series, its tail from a given point, or a bounded range into caller arrays. Internal; the
 * caller holds the experiment lock (the journal's tailer is not thread-safe) and has drained the
 * ring.
 */
final class MetricReader {
    private final Journal journal;

    MetricReader(final Journal journal) {
        this.journal = journal;
    }

    /** Points {@code first..end} of the metric (an empty series if {@code first} is past the end). */
    MetricSeries read(final String name, final MetricExtents extents, final long first) {
        final long total = extents.points();
        if (total > Integer.MAX_VALUE - 16) {
            throw new StoreAccessException("metric '" + name + "' has " + total + " points, more than one array holds");
        }
        final int size = (int) Math.max(0, total - first);
        // from the end back to the run holding 'first': a tail read visits only the new runs
        int firstRun = extents.size();
        long before = total;
        while (firstRun > 0 && before > first) {
            firstRun--;
            before -= extents.runCount(firstRun);
        }
        final int skip = (int) (Math.min(first, total) - before);
        final long[] steps = new long[size + skip];
        final long[] timestamps = new long[size + skip];
        final long[] values = new long[size + skip];
        int at = 0;
        for (int i = firstRun; i < extents.size(); i++) {
            decode(name, extents, i, steps, timestamps, values, at);
            at += extents.runCount(i);
        }
        if (skip == 0) {
            return new MetricSeries(name, size, steps, timestamps, values);
        }
        return new MetricSeries(name, size, Arrays.copyOfRange(steps, skip, skip + size),
            Arrays.copyOfRange(timestamps, skip, skip + size), Arrays.copyOfRange(values, skip, skip + size));
    }

    /** Points {@code [from, from + max)} into the arrays (fewer at the end); returns how many. */
    int read(final String name, final MetricExtents extents, final long from, final long[] steps,
             final long[] timestamps, final long[] values, final int max) {
        long start = 0;
        int copied = 0;
        long[] s = null;
        long[] t = null;
        long[] v = null;
        for (int i = 0; i < extents.size() && copied < max; i++) {
            final int count = extents.runCount(i);
            final long end = start + count;
            if (start == from + copied && count <= max - copied) {
                decode(name, extents, i, steps, timestamps, values, copied); // wholly inside: in place
                copied += count;
            } else if (end > from + copied) {
                if (s == null || s.length < count) {
                    s = new long[count];
                    t = new long[count];
                    v = new long[count];
                }
                decode(name, extents, i, s, t, v, 0);
                final int skip = (int) (from + copied - start);
                final int n = Math.min(count - skip, max - copied);
                System.arraycopy(s, skip, steps, copied, n);
                System.arraycopy(t, skip, timestamps, copied, n);
                System.arraycopy(v, skip, values, copied, n);
                copied += n;
            }
            start = end;
        }
        return copied;
    }

    /** Decodes the run of extent {@code i} into the arrays at {@code at} (a check reads one run at a time). */
    void decode(final String name, final MetricExtents extents, final int i, final long[] steps,
                        final long[] timestamps, final long[] values, final int at) {
        try (DocumentContext dc = journal.atRun(extents.recordIndex(i))) {
            if (dc == null) {
                throw new CorruptStoreException("journal " + journal.dir() + " lost record "
                    + Long.toHexString(extents.recordIndex(i)));
            }
            final RecordDecoder d = journal.decoder();
            if (d.type() != RecordType.POINT_BATCH) {
                throw ColdRecords.unexpected(d, d.type());
            }
            final int count = extents.runCount(i);
            final int runLength = extents.runLength(i);
            if (extents.runOffset(i) + (long) runLength > d.length()) {
                throw d.corrupt("run of metric '" + name + "' overruns the record", extents.runOffset(i));
            }
            final long offset = d.start() + extents.runOffset(i);
            final long run = d.bytes().addressForRead(offset, runLength);
            if (!d.bytes().bytesStore().inside(offset, runLength)) { // a damaged length (a record without a trailer)
                throw d.corrupt("run of metric '" + name + "' lies past what the journal maps for one record",
                    extents.runOffset(i));
            }
            if (extents.hasRunCrc(i) && journal.runCrc(run, runLength) != extents.runCrc(i)) {
                throw d.corrupt("run of metric '" + name + "' fails its CRC32C (the directory holds "
                    + RecordDecoder.hex(extents.runCrc(i)) + ", its " + runLength + " bytes give "
                    + RecordDecoder.hex(journal.runCrc(run, runLength)) + ")", extents.runOffset(i));
            }
            final long stepEnd = run + extents.stepBytes(i);
            final long timestampEnd = stepEnd + extents.timestampBytes(i);
            final long runEnd = run + runLength;
            if (decodeIntegers(extents.stepCoding(i), run, stepEnd, steps, at, count) < 0
                || decodeIntegers(extents.timestampCoding(i), stepEnd, timestampEnd, timestamps, at, count) < 0
                || decodeValues(extents.valueMode(i), extents.valueExponent(i), timestampEnd, runEnd, values, at, count) < 0) {
                throw d.corrupt("run of metric '" + name + "' has a malformed column", extents.runOffset(i));
            }
        }
    }

    /** Decodes a step or timestamp column of {@code count} values coded {@code coding} (a {@link ColumnCoding}) at {@code [from, to)}. */
    private static int decodeIntegers(final int coding, final long from, final long to, final long[] out, final int at,
                                      final int count) {
        return switch (coding) {
            case ColumnCoding.DELTA_VARINT -> VarInt.decodeDeltas(from, to, out, at, count);
            case ColumnCoding.FRAMES -> FrameColumn.decode(null, from, to, count, out, at) == to ? 0 : -1;
            default -> -1; // not reached: the catalog holds only codings CatalogRebuild or the writer checked
        };
    }

    /** Decodes a value column of {@code count} values in mode {@code mode} (a journal code) at raw addresses {@code [from, to)}. */
    private static int decodeValues(final int mode, final int exponent, final long from, final long to, final long[] out,
                                    final int at, final int count) {
        return switch (mode) {
            case ValueMode.JOURNAL_XOR -> XorCoding.decodeColumn(from, to, out, at, count);
            case ValueMode.JOURNAL_DECIMAL -> DecimalCoding.decodeColumn(from, to, out, at, count, exponent);
            case ValueMode.JOURNAL_BITS -> BitsCoding.decodeColumn(from, to, out, at, count);
            case ValueMode.JOURNAL_FLOAT32 -> Float32Coding.decodeColumn(from, to, out, at, count);
            case ValueMode.JOURNAL_DOUBLE_COLUMN -> DoubleColumn.decode(null, from, to, count, out, at) == to ? 0 : -1;
            default -> -1; // not reached: the catalog holds only modes CatalogRebuild or the writer checked
        };
    }
}
