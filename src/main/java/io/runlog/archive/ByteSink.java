package io.runlog.archive;

import io.runlog.codec.VarInt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Internal: a growable little-endian byte buffer the archive encoders write into: fixed-width
 * integers, LEB128 varints and zig-zag varints ({@link VarInt}, shared with the journal), length-prefixed UTF-8 strings and LSB-first bit
 * packing. Keeps {@link #SLACK} spare bytes so the bit packer can store whole words.
 */
final class ByteSink {
    static final int SLACK = 16;
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int size;

    ByteSink(final int capacity) {
        buf = new byte[Math.max(64, capacity) + SLACK];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        size = 0;
    }

    /** Drops everything after the first {@code newSize} bytes. */
    void truncate(final int newSize) {
        size = newSize;
    }

    /** Makes room for {@code more} bytes (plus slack) after the current end. */
    void ensure(final int more) {
        final long needed = (long) size + more + SLACK;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 64) {
                throw new IllegalStateException("archive block larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 64, (long) buf.length * 2)));
        }
    }

    void u8(final int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void u32(final int v) {
        ensure(4);
        INT_LE.set(buf, size, v);
        size += 4;
    }

    void u64(final long v) {
        ensure(8);
        LONG_LE.set(buf, size, v);
        size += 8;
    }

    /** Unsigned LEB128 ({@link VarInt}). */
    void varint(final long v) {
        ensure(VarInt.MAX_LENGTH);
        size = (int) (VarInt.write(buf, VarInt.BYTE_ARRAY_BASE + size, v) - VarInt.BYTE_ARRAY_BASE);
    }

    /** Zig-zag then LEB128 ({@link VarInt#zigzag}): small magnitudes of either sign take few bytes. */
    void zigzag(final long v) {
        varint(VarInt.zigzag(v));
    }

    void bytes(final byte[] b, final int off, final int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Varint byte length, then the UTF-8 bytes. */
    void string(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        bytes(b, 0, b.length);
    }

    /** Counts {@code n} bytes the caller wrote into {@link #array()} right after the end, within room {@link #ensure} made. */
    void advance(final int n) {
        size += n;
    }
}
