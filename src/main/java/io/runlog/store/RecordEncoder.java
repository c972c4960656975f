package io.runlog.store;

import io.runlog.InvalidValueException;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes one cold record (everything but point batches) into a reusable heap buffer, so its
 * length is known and checked before anything touches the journal. Not thread-safe: one per
 * journal, used under the experiment lock.
 */
final class RecordEncoder {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private final int maxRecordLength;
    private int length;

    RecordEncoder(final int maxRecordLength) {
        this.maxRecordLength = maxRecordLength;
    }

    RecordEncoder begin(final RecordType type) {
        length = 0;
        putByte(type.code);
        putByte(JournalLayout.VERSION);
        return this;
    }

    RecordEncoder putByte(final int b) {
        ensure(1);
        buffer.putByte(length, (byte) b);
        length += 1;
        return this;
    }

    RecordEncoder putShort(final int s) {
        ensure(2);
        buffer.putShort(length, (short) s, LE);
        length += 2;
        return this;
    }

    RecordEncoder putInt(final int v) {
        ensure(4);
        buffer.putInt(length, v, LE);
        length += 4;
        return this;
    }

    RecordEncoder putLong(final long v) {
        ensure(8);
        buffer.putLong(length, v, LE);
        length += 8;
        return this;
    }

    RecordEncoder putBytes(final byte[] bytes) {
        ensure(bytes.length);
        buffer.putBytes(length, bytes);
        length += bytes.length;
        return this;
    }

    /** A string: i32 byte length, then UTF-8. The caller validated it has no lone surrogates. */
    RecordEncoder putString(final String s) {
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        return putBytes(utf8);
    }

    /** A map: its entries as (key, value) string pairs; the count was written by the caller. */
    RecordEncoder putStringPairs(final Map<String, String> map) {
        for (final Map.Entry<String, String> e : map.entrySet()) {
            putString(e.getKey());
            putString(e.getValue());
        }
        return this;
    }

    int length() {
        return length;
    }

    ExpandableArrayBuffer buffer() {
        return buffer;
    }

    private void ensure(final int more) {
        if ((long) length + more > maxRecordLength) {
            throw new InvalidValueException("record is larger than the journal's limit of " + maxRecordLength
                + " bytes; log large text or data as an item (payloads have no size limit) or raise "
                + "StoreOptions.journalBlockSize");
        }
    }
}
