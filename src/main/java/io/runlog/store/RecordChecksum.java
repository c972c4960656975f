package io.runlog.store;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Computes the CRC32C of a journal record ({@link RecordTrailerDescriptor}): over its sequence
 * number in its cycle file, then its bytes, from a heap array (cold records, encoded on the heap)
 * or a raw address (point batches written in place, and every record read from Chronicle's
 * mapped file). {@link CRC32C} is a JVM intrinsic for heap arrays and direct buffers; a raw
 * address is handed to it through one reusable direct buffer whose address is pointed at each
 * chunk in turn, so a check allocates nothing.
 *
 * <p>Not thread-safe: one per {@link Journal}, used under the experiment lock.
 */
final class RecordChecksum {
    /** Bytes given to {@link CRC32C} per call when checking raw memory. */
    private static final int CHUNK = 16 * 1024;

    private final CRC32C crc = new CRC32C();
    private final byte[] sequence = new byte[RecordTrailerDescriptor.SEQUENCE_LENGTH];
    /** Allocated once; its address is repointed at the memory being checked (the allocation itself stays referenced). */
    private final ByteBuffer owned = ByteBuffer.allocateDirect(CHUNK);
    private final ByteBuffer view = owned.duplicate();
    private final long ownedAddress = BufferUtil.address(owned);

    /** The CRC32C of sequence {@code sequence} and the {@code length} bytes at {@code address}. */
    int of(final long sequence, final long address, final int length) {
        begin(sequence);
        return update(address, length);
    }

    /** The CRC32C of the {@code length} bytes at {@code address} alone (a run of a format 6 point batch). */
    int plain(final long address, final int length) {
        crc.reset();
        return update(address, length);
    }

    private int update(final long address, final int length) {
        try {
            for (int done = 0; done < length; done += CHUNK) {
                final int n = Math.min(CHUNK, length - done);
                UnsafeApi.putLong(view, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, address + done);
                view.clear().limit(n);
                crc.update(view);
            }
        } finally {
            UnsafeApi.putLong(view, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, ownedAddress);
        }
        return (int) crc.getValue();
    }

    /** The CRC32C of sequence {@code sequence} and {@code bytes[0, length)}. */
    int of(final long sequence, final byte[] bytes, final int length) {
        begin(sequence);
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private void begin(final long sequence) {
        crc.reset();
        this.sequence[0] = (byte) sequence;
        this.sequence[1] = (byte) (sequence >>> 8);
        this.sequence[2] = (byte) (sequence >>> 16);
        this.sequence[3] = (byte) (sequence >>> 24);
        crc.update(this.sequence, 0, RecordTrailerDescriptor.SEQUENCE_LENGTH);
    }
}
