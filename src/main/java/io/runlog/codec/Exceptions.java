package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * The exception lists of {@link AlpCoding} (raw 64-bit values) and {@link AlpRdCoding} (16-bit
 * left parts): {@code varint x}, then {@code x} times {@code varint gap} and a little-endian
 * value of {@code width} bytes, the position of exception {@code k} being
 * {@code last + 1 + gap} ({@code last = -1} before the first). The archive's value column writes
 * the same list for its 64-bit exceptions. Package-private; stateless.
 */
final class Exceptions {
    private Exceptions() {
    }

    /**
     * Validates the list at {@code offset} for a column of {@code n} values and returns the offset
     * after it, or a {@link CodecStatus} error code. {@code scratch[at]} is used as a varint slot.
     */
    static long skip(final Object base, final long offset, final long limit, final int n, final int width,
                     final long[] scratch, final int at) {
        long p = VarInt.read(base, offset, limit, scratch, at);
        if (p < 0) {
            return p == VarInt.PAST_END ? CodecStatus.PAST_END : CodecStatus.BAD_VARINT;
        }
        final long x = scratch[at];
        if (x < 0 || x > n) {
            return CodecStatus.BAD_EXCEPTION;
        }
        long last = -1;
        for (long k = 0; k < x; k++) {
            p = VarInt.read(base, p, limit, scratch, at);
            if (p < 0) {
                return p == VarInt.PAST_END ? CodecStatus.PAST_END : CodecStatus.BAD_VARINT;
            }
            final long gap = scratch[at];
            if (gap < 0 || gap > n - 1 - (last + 1)) {
                return CodecStatus.BAD_EXCEPTION;
            }
            last += 1 + gap;
            if (width > limit - p) {
                return CodecStatus.PAST_END;
            }
            p += width;
        }
        return p;
    }

    /**
     * Applies a list that {@link #skip} validated: for {@code width} 8, {@code out[at + position]}
     * becomes the exception's raw bits; for {@code width} 2 (ALP-RD), its left part, i.e.
     * {@code (left << rightWidth) | (out & rightMask)}.
     */
    static void patch(final Object base, final long offset, final int width, final int rightWidth,
                      final long[] out, final int at) {
        long p = offset;
        long x = 0;
        for (int shift = 0; ; shift += 7) {
            final byte b = UnsafeApi.getByte(base, p++);
            x |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        final long rightMask = -1L >>> (64 - rightWidth);
        long last = -1;
        for (long k = 0; k < x; k++) {
            long gap = 0;
            for (int shift = 0; ; shift += 7) {
                final byte b = UnsafeApi.getByte(base, p++);
                gap |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            last += 1 + gap;
            final int i = at + (int) last;
            if (width == 8) {
                out[i] = getLongLe(base, p);
            } else {
                final long left = (UnsafeApi.getByte(base, p) & 0xFF) | (UnsafeApi.getByte(base, p + 1) & 0xFF) << 8;
                out[i] = (left << rightWidth) | (out[i] & rightMask);
            }
            p += width;
        }
    }

    static long getLongLe(final Object base, final long p) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (UnsafeApi.getByte(base, p + k) & 0xFF);
        }
        return v;
    }

    static long putLongLe(final Object base, final long p, final long v) {
        for (int k = 0; k < 8; k++) {
            UnsafeApi.putByte(base, p + k, (byte) (v >>> (8 * k)));
        }
        return p + 8;
    }
}
