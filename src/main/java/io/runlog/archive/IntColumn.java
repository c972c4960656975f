package io.runlog.archive;

import io.runlog.codec.CodecStatus;
import io.runlog.codec.FrameColumn;
import io.runlog.codec.VarInt;

/**
 * Internal: the integer column coder of the archive (steps, timestamps, and the integers the
 * value coder maps doubles to): {@link FrameColumn}, the one implementation of the layout that
 * docs/format/archive.md ("Integer column") and docs/format/codec.md describe, byte for byte, on
 * the archive's {@link ByteSink} and {@link ByteSource}. The encoder picks the order whose frames
 * take the fewest bytes ({@link FrameColumn#bestOrder}).
 */
final class IntColumn {
    static final int FRAME = FrameColumn.FRAME;

    private IntColumn() {
    }

    /** Encodes {@code v[0..n)}, n >= 1, with the cheapest order ({@code scratch} is unused, kept for callers). */
    static void encode(final long[] v, final int n, final ByteSink out, final long[] scratch) {
        encode(v, n, FrameColumn.bestOrder(v, 0, n), out, scratch);
    }

    /** Bytes the frames of one order take over {@code v[from..from+n)} (approximating each frame's min as 2 bytes). */
    static long cost(final long[] v, final int from, final int n, final int order) {
        return FrameColumn.cost(v, from, n, order);
    }

    static void encode(final long[] v, final int n, final int order, final ByteSink out, final long[] scratch) {
        final long room = FrameColumn.maxLength(n);
        if (room > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("archive block larger than 2 GiB");
        }
        out.ensure((int) room);
        final long start = VarInt.BYTE_ARRAY_BASE + out.size();
        final long end = FrameColumn.encode(v, 0, n, order, out.array(), start);
        out.advance((int) (end - start));
    }

    /** Decodes {@code n} values into {@code out[0..n)}. */
    static void decode(final ByteSource in, final int n, final long[] out, final String what) {
        final long start = VarInt.BYTE_ARRAY_BASE + in.position();
        final long end = FrameColumn.decode(in.array(), start, start + in.remaining(), n, out, 0);
        if (end < 0) {
            throw in.malformed(what + ": " + CodecStatus.describe(end));
        }
        in.skip((int) (end - start), what);
    }
}
