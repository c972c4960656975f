package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.UnsupportedFormatVersionException;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one journal record from a Chronicle document. Every length read is checked against what
 * remains of the document, so a damaged record raises {@link CorruptStoreException} naming the
 * journal index and offset instead of allocating from a garbage length.
 */
final class RecordDecoder {
    private Bytes<?> bytes;
    private long start;
    private long limit;
    private long pos;
    private long index;
    /** Names the cycle file of a record in messages (computed only when one is needed). */
    private java.util.function.LongFunction<String> where;
    private int version;
    private RecordType checked;
    private boolean checksummed;

    RecordDecoder wrap(final Bytes<?> bytes, final long index, final java.util.function.LongFunction<String> where) {
        this.bytes = bytes;
        this.start = bytes.readPosition();
        this.limit = bytes.readLimit();
        this.pos = start;
        this.index = index;
        this.where = where;
        this.checked = null;
        return this;
    }

    /**
     * Checks the record's header and, from format version 5, its CRC32C trailer
     * ({@link RecordTrailerDescriptor}), which is then excluded from {@link #length()}. Called by
     * {@link Journal#next()} for every record it returns, so no byte of a record is interpreted
     * before its check passed.
     *
     * @param sequence         the record's sequence number in its cycle file (covered by the CRC)
     * @param checksumRequired whether the journal holds checksummed records up to this one, so a
     *                         record without a trailer here had its version byte damaged
     * @return whether the record carried a trailer (format 5 or later)
     * @throws CorruptStoreException if the header is impossible or the CRC32C does not match
     * @throws UnsupportedFormatVersionException if the record is of a newer version (its trailer checks)
     */
    boolean check(final RecordChecksum checksum, final long sequence, final boolean checksumRequired) {
        checked = null;
        if (limit - start < RecordHeaderDescriptor.LENGTH) {
            throw corrupt("record of " + (limit - start) + " bytes is shorter than its header", 0);
        }
        final int code = bytes.readUnsignedByte(start + RecordHeaderDescriptor.TYPE_OFFSET);
        version = bytes.readUnsignedByte(start + RecordHeaderDescriptor.VERSION_OFFSET);
        final boolean trailer = RecordTrailerDescriptor.present(version);
        if (trailer) {
            final long length = limit - start;
            if (length < RecordHeaderDescriptor.LENGTH + RecordTrailerDescriptor.LENGTH) {
                throw corrupt("record of format version " + version + " and " + length
                    + " bytes has no room for its CRC32C trailer", 0);
            }
            final long crcAt = RecordTrailerDescriptor.crcOffset(length);
            final int stored = bytes.readInt(start + crcAt);
            final long address = bytes.addressForRead(start, (int) crcAt);
            if (!bytes.bytesStore().inside(start, crcAt)) {
                // A damaged Chronicle header can claim more than one mapping holds (a chunk and its
                // overlap, which bound every record the journal writes): reading it through the raw
                // address would be a SIGSEGV, not an error (OversizedRecordLengthTest).
                throw corrupt("record claims " + length + " bytes, more than the journal maps for one record"
                    + " (a damaged length in its header)", 0);
            }
            final int computed = checksum.of(sequence, address, (int) crcAt);
            if (stored != computed) {
                throw corrupt("CRC32C mismatch: the trailer holds " + hex(stored) + ", the record's " + crcAt
                    + " bytes (type code " + code + ", version " + version + ") give " + hex(computed), crcAt);
            }
            limit -= RecordTrailerDescriptor.LENGTH;
        }
        if (version > JournalLayout.VERSION) {
            throw new UnsupportedFormatVersionException("journal cycle file " + where.apply(index) + " index " + Long.toHexString(index)
                + " holds a record of format version " + version + ", this build reads up to " + JournalLayout.VERSION);
        }
        final RecordType type = RecordType.of(code);
        if (type == null || version == 0) {
            throw corrupt("unknown record type " + code + " (version " + version + ")", 0);
        }
        if (!trailer && checksumRequired) {
            throw corrupt("record of format version " + version + " carries no CRC32C, but the journal's records"
                + " carry one up to here (a damaged version byte)", RecordHeaderDescriptor.VERSION_OFFSET);
        }
        checked = type;
        checksummed = trailer;
        return trailer;
    }

    /**
     * The cheap check of a reader of one run ({@link MetricReader}): if the record is a POINT_BATCH of
     * format 6, checks its header and directory against the Directory CRC32C
     * ({@link PointBatchDescriptor}) and not the whole record, and returns true; the reader then
     * checks its run's bytes against the run's CRC32C. Returns false for any other record (an
     * older format, another type, a newer version, an impossible header), which the caller then
     * checks whole with {@link #check}.
     *
     * @throws CorruptStoreException if the Directory CRC32C does not match
     */
    boolean checkBatchDirectory(final RecordChecksum checksum, final long sequence) {
        checked = null;
        final long length = limit - start;
        if (length < PointBatchDescriptor.LENGTH + PointBatchDescriptor.DIRECTORY_CRC_LENGTH + RecordTrailerDescriptor.LENGTH
            || bytes.readUnsignedByte(start + RecordHeaderDescriptor.TYPE_OFFSET) != RecordType.POINT_BATCH.code
            || bytes.readUnsignedByte(start + RecordHeaderDescriptor.VERSION_OFFSET) != JournalLayout.VERSION_RUN_CHECKSUM) {
            return false;
        }
        final int runs = bytes.readInt(start + PointBatchDescriptor.RUN_COUNT_OFFSET);
        if (runs <= 0 || runs > length / BatchEntryDescriptor.LENGTH) {
            return false;
        }
        final long crcAt = PointBatchDescriptor.directoryCrcOffset(runs);
        if (crcAt + PointBatchDescriptor.DIRECTORY_CRC_LENGTH + RecordTrailerDescriptor.LENGTH > length
            || !bytes.bytesStore().inside(start, crcAt + PointBatchDescriptor.DIRECTORY_CRC_LENGTH)) {
            return false;
        }
        final int stored = bytes.readInt(start + crcAt);
        final int computed = checksum.of(sequence, bytes.addressForRead(start, (int) crcAt), (int) crcAt);
        if (stored != computed) {
            throw corrupt("Directory CRC32C mismatch: the record holds " + hex(stored) + ", its header and directory of "
                + crcAt + " bytes give " + hex(computed), crcAt);
        }
        version = JournalLayout.VERSION_RUN_CHECKSUM;
        limit -= RecordTrailerDescriptor.LENGTH;
        checked = RecordType.POINT_BATCH;
        checksummed = true;
        return true;
    }

    /** The record's type, as {@link #check} found it; the body is read from here on. */
    RecordType type() {
        if (checked == null) {
            throw new IllegalStateException("record not checked");
        }
        pos = start + RecordHeaderDescriptor.LENGTH;
        return checked;
    }

    /**
     * Whether the record carried a CRC32C trailer that {@link #check} verified (format 5 or
     * later); records of formats 1 to 4 have none (for {@code runlog check}'s report).
     */
    boolean checksummed() {
        return checksummed;
    }

    /** The record's format version byte (after {@link #check}). */
    int version() {
        return version;
    }

    static String hex(final int crc) {
        return String.format("0x%08x", crc);
    }

    long length() {
        return limit - start;
    }

    long start() {
        return start;
    }

    Bytes<?> bytes() {
        return bytes;
    }

    int readByte() {
        need(1);
        return bytes.readUnsignedByte(pos++);
    }

    int readShort() {
        need(2);
        final int v = bytes.readUnsignedShort(pos);
        pos += 2;
        return v;
    }

    int readInt() {
        need(4);
        final int v = bytes.readInt(pos);
        pos += 4;
        return v;
    }

    long readLong() {
        need(8);
        final long v = bytes.readLong(pos);
        pos += 8;
        return v;
    }

    byte[] readBytes(final int n) {
        if (n < 0) {
            throw corrupt("negative length " + n, pos - start);
        }
        need(n);
        final byte[] b = new byte[n];
        bytes.read(pos, b, 0, n);
        pos += n;
        return b;
    }

    String readString() {
        final int n = readInt();
        if (n < 0 || n > limit - pos) {
            throw corrupt("string length " + n + " exceeds the " + (limit - pos) + " bytes left", pos - 4 - start);
        }
        return new String(readBytes(n), StandardCharsets.UTF_8);
    }

    Map<String, String> readStringPairs(final int count) {
        if (count < 0 || count > (limit - pos) / 8) {
            throw corrupt("metadata count " + count + " cannot fit in the " + (limit - pos) + " bytes left", pos - start);
        }
        final Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            final String k = readString();
            map.put(k, readString());
        }
        return map;
    }

    long offset() {
        return pos - start;
    }

    CorruptStoreException corrupt(final String what, final long offset) {
        return new CorruptStoreException("journal cycle file " + where.apply(index) + " record at index " + Long.toHexString(index)
            + ", offset " + offset + ": " + what);
    }

    private void need(final long n) {
        if (pos + n > limit) {
            throw corrupt("record ends after " + (limit - start) + " bytes, " + n + " more needed", pos - start);
        }
    }
}
