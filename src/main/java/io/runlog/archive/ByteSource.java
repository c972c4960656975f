package io.runlog.archive;

import io.runlog.codec.VarInt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static io.runlog.archive.ByteSink.INT_LE;
import static io.runlog.archive.ByteSink.LONG_LE;

/**
 * Internal: a bounds-checked little-endian reader over {@code [position, limit)} of a byte array
 * (a block's payload). Every read checks the bytes left first; every count and length a reader
 * takes from the data is checked against a caller's cap and against the bytes left, so hostile
 * data can never drive an allocation. Problems throw {@link Malformed} with the position.
 * The array must have {@link ByteSink#SLACK} readable bytes after {@code limit} (the bit
 * unpacker reads whole words).
 */
final class ByteSource {
    private final byte[] b;
    private int pos;
    private final int limit;
    /** {@link VarInt#read}'s result. */
    private final long[] one = new long[1];

    ByteSource(final byte[] b, final int pos, final int limit) {
        this.b = b;
        this.pos = pos;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    Malformed malformed(final String what) {
        return new Malformed(what, pos);
    }

    private void need(final int n, final String what) {
        if (n < 0 || n > limit - pos) {
            throw new Malformed(what + " needs " + n + " bytes, " + (limit - pos) + " left", pos);
        }
    }

    int u8(final String what) {
        need(1, what);
        return b[pos++] & 0xFF;
    }

    int u32(final String what) {
        need(4, what);
        final int v = (int) INT_LE.get(b, pos);
        pos += 4;
        return v;
    }

    long u64(final String what) {
        need(8, what);
        final long v = (long) LONG_LE.get(b, pos);
        pos += 8;
        return v;
    }

    /** Unsigned LEB128 ({@link VarInt#read}) of at most 10 bytes; the 10th may only carry the top bit. */
    long varint(final String what) {
        final long base = VarInt.BYTE_ARRAY_BASE;
        final long next = VarInt.read(b, base + pos, base + limit, one, 0);
        if (next == VarInt.PAST_END) {
            pos = limit;
            throw new Malformed(what + ": varint runs past the end", pos);
        }
        if (next == VarInt.OVERFLOW) {
            throw new Malformed(what + ": varint overflows 64 bits", pos + VarInt.MAX_LENGTH - 1);
        }
        pos = (int) (next - base);
        return one[0];
    }

    long zigzag(final String what) {
        return VarInt.unzigzag(varint(what));
    }

    /** A varint that must lie in [min, max]. */
    long varint(final String what, final long min, final long max) {
        final int at = pos;
        final long v = varint(what);
        if (v < min || v > max) {
            throw new Malformed(what + " is " + Long.toUnsignedString(v) + ", must be in [" + min + ", " + max + "]", at);
        }
        return v;
    }

    /** A count of items each taking at least {@code minBytesEach} bytes: bounded by the bytes left and by {@code cap}. */
    int count(final String what, final long cap, final int minBytesEach) {
        final int at = pos;
        final long v = varint(what);
        final long fit = minBytesEach == 0 ? cap : (limit - pos) / minBytesEach;
        if (v < 0 || v > cap || v > fit) {
            throw new Malformed(what + " is " + Long.toUnsignedString(v) + ", more than " + Math.min(cap, fit)
                + " (the cap or what the bytes left can hold)", at);
        }
        return (int) v;
    }

    String string(final String what, final int maxBytes) {
        final int len = count(what + " length", maxBytes, 1);
        final int at = pos;
        need(len, what);
        try {
            final String s = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, pos, len)).toString();
            pos += len;
            return s;
        } catch (final CharacterCodingException e) {
            throw new Malformed(what + " is not valid UTF-8", at);
        }
    }

    void bytes(final byte[] dst, final int off, final int len, final String what) {
        need(len, what);
        System.arraycopy(b, pos, dst, off, len);
        pos += len;
    }

    /** Skips {@code len} bytes that must be there. */
    int skip(final int len, final String what) {
        need(len, what);
        final int at = pos;
        pos += len;
        return at;
    }

    byte[] array() {
        return b;
    }

    /** A malformed payload: what and where (offset in the payload array). */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int position;

        Malformed(final String what, final int position) {
            super(what, null, false, false);
            this.position = position;
        }
    }
}
