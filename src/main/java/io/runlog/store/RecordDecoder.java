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
    private String where;

    RecordDecoder wrap(final Bytes<?> bytes, final long index, final String where) {
        this.bytes = bytes;
        this.start = bytes.readPosition();
        this.limit = bytes.readLimit();
        this.pos = start;
        this.index = index;
        this.where = where;
        return this;
    }

    /** The record's type; checks its version byte too. */
    RecordType type() {
        need(2);
        final int code = bytes.readUnsignedByte(start + RecordHeaderDescriptor.TYPE_OFFSET);
        final int version = bytes.readUnsignedByte(start + RecordHeaderDescriptor.VERSION_OFFSET);
        if (version > JournalLayout.VERSION) {
            throw new UnsupportedFormatVersionException("journal " + where + " index " + Long.toHexString(index)
                + " holds a record of format version " + version + ", this build reads up to " + JournalLayout.VERSION);
        }
        final RecordType type = RecordType.of(code);
        if (type == null || version == 0) {
            throw corrupt("unknown record type " + code + " (version " + version + ")", 0);
        }
        pos = start + RecordHeaderDescriptor.LENGTH;
        return type;
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

    /** The record's format version byte (unchecked: {@link #type()} checks it). */
    int version() {
        return bytes.readUnsignedByte(start + RecordHeaderDescriptor.VERSION_OFFSET);
    }

    CorruptStoreException corrupt(final String what, final long offset) {
        return new CorruptStoreException("journal " + where + " record at index " + Long.toHexString(index)
            + ", offset " + offset + ": " + what);
    }

    private void need(final long n) {
        if (pos + n > limit) {
            throw corrupt("record ends after " + (limit - start) + " bytes, " + n + " more needed", pos - start);
        }
    }
}
