package io.runlog.store;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes one metric's run of a POINT_BATCH record into primitive arrays, checking every bound:
 * a varint that runs past its column, or a column that does not end exactly after its count of
 * values, is reported as corruption (the returned offset is negative) rather than read on.
 */
final class PointRunDecoder {
    private PointRunDecoder() {
    }

    /**
     * Decodes a column of {@code count} zigzag varint deltas in {@code [from, to)} of {@code in}
     * into {@code out[at .. at + count)}.
     *
     * @return -1 if the column is malformed, else 0
     */
    static int decodeDeltas(final UnsafeBuffer in, final int from, final int to, final long[] out, final int at,
                            final int count) {
        int i = from;
        long previous = 0;
        for (int k = 0; k < count; k++) {
            long z = 0;
            int shift = 0;
            while (true) {
                if (i >= to || shift > 63) {
                    return -1;
                }
                final byte b = in.getByte(i++);
                z |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            previous += VarLong.unzigzag(z);
            out[at + k] = previous;
        }
        return i == to ? 0 : -1;
    }

    /** Copies {@code count} raw little-endian longs from {@code from} into {@code out[at ..]}. */
    static void copyLongs(final UnsafeBuffer in, final int from, final long[] out, final int at, final int count) {
        for (int k = 0; k < count; k++) {
            out[at + k] = in.getLong(from + 8 * k, java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }
}
