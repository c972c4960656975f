package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * ALP-RD for real doubles that are no short decimals (Afroozeh and Boncz, SIGMOD 2024;
 * docs/format/codec.md, "ALP-RD"; layout {@link AlpRdDescriptor}): each value's 64 bits are cut
 * into a left part (the top {@code 64 - r} bits: sign, exponent, first mantissa bits, few distinct
 * values in a column) and a right part (the low {@code r} bits, noise). Left parts are coded as
 * indexes into a dictionary of up to 8, bit-packed at {@code c} bits; left parts not in the
 * dictionary are exceptions (position and the 16-bit left part); right parts are bit-packed at
 * {@code r} bits. Every bit pattern round-trips.
 *
 * <p>{@link #choose} picks {@code r}, {@code c} and the dictionary on a sample; {@link #encode}
 * codes a column with them. Stateless, allocation-free, thread-safe; addressing as in
 * {@link BitPacking}.
 */
public final class AlpRdCoding {
    /** Values sampled by {@link #choose}. */
    public static final int SAMPLE = 32;
    /** Dictionary entries at most. */
    public static final int MAX_DICTIONARY = 1 << AlpRdDescriptor.MAX_CODE_WIDTH;

    private AlpRdCoding() {
    }

    /** Most bytes {@link #encode} writes for {@code n} values. */
    public static long maxLength(final int n) {
        return AlpRdDescriptor.exceptionsAt(AlpRdDescriptor.MAX_CODE_WIDTH) + VarInt.MAX_LENGTH
            + (long) n * (VarInt.MAX_LENGTH + 2) + BitPacking.packedBytes(n, AlpRdDescriptor.MAX_CODE_WIDTH)
            + BitPacking.packedBytes(n, AlpRdDescriptor.MAX_RIGHT_WIDTH);
    }

    /** {@link #choose}'s result: the right width. */
    public static int rightWidth(final int choice) {
        return choice & 0xFF;
    }

    /** {@link #choose}'s result: the code width. */
    public static int codeWidth(final int choice) {
        return choice >>> 8;
    }

    /**
     * Chooses the cut for {@code bits[from .. from + n)} ({@code n >= 1}): on {@link #SAMPLE}
     * evenly spaced values, the right width {@code r} (48..63) of fewest {@code r + c} bits a value
     * among those whose sampled left parts are at most 8 distinct values, {@code c} being the
     * bits of their count. Fills {@code dictionary[0 .. 2^c)} with those left parts (then zeros);
     * {@code scratch} (at least {@link #SAMPLE} entries) is overwritten.
     *
     * @return {@code r | c << 8}
     */
    public static int choose(final long[] bits, final int from, final int n, final long[] scratch,
                             final long[] dictionary) {
        final int m = Math.min(n, SAMPLE);
        for (int k = 0; k < m; k++) { // insertion sort of the sample, unsigned: left parts then group in runs
            final long v = bits[from + (int) ((long) k * n / m)];
            int j = k;
            while (j > 0 && Long.compareUnsigned(scratch[j - 1], v) > 0) {
                scratch[j] = scratch[j - 1];
                j--;
            }
            scratch[j] = v;
        }
        int bestR = AlpRdDescriptor.MAX_RIGHT_WIDTH;
        int bestC = AlpRdDescriptor.MAX_CODE_WIDTH;
        int bestBits = Integer.MAX_VALUE;
        for (int r = AlpRdDescriptor.MIN_RIGHT_WIDTH; r <= AlpRdDescriptor.MAX_RIGHT_WIDTH; r++) {
            int runs = 1;
            for (int k = 1; k < m; k++) {
                runs += (scratch[k] >>> r) != (scratch[k - 1] >>> r) ? 1 : 0;
            }
            if (runs > MAX_DICTIONARY) {
                continue;
            }
            final int c = 32 - Integer.numberOfLeadingZeros(runs - 1);
            if (r + c < bestBits) {
                bestBits = r + c;
                bestR = r;
                bestC = c;
            }
        }
        java.util.Arrays.fill(dictionary, 0, 1 << bestC, 0L);
        int d = 0;
        for (int k = 0; k < m; k++) {
            final long left = scratch[k] >>> bestR;
            if (k == 0 || left != (scratch[k - 1] >>> bestR)) {
                dictionary[d++] = left;
            }
        }
        return bestR | bestC << 8;
    }

    /** The dictionary index of {@code left}, or -1; branch-free over the {@code 2^c} entries. */
    private static int code(final long left, final long[] dictionary, final int entries) {
        int code = -1;
        for (int k = entries - 1; k >= 0; k--) {
            code = dictionary[k] == left ? k : code;
        }
        return code;
    }

    /**
     * Encodes {@code bits[from .. from + n)} ({@code n >= 1}) with right width {@code r}
     * (48..63), code width {@code c} (0..3) and {@code dictionary[0 .. 2^c)} (left parts below
     * {@code 2^(64 - r)}, as {@link #choose} gives) at {@code (base, offset)}; {@code scratch}
     * holds at least {@code from + n} entries (overwritten at {@code [from, from + n)}). The caller
     * guarantees {@link #maxLength} bytes of room.
     *
     * @return the offset after the column
     */
    public static long encode(final long[] bits, final int from, final int n, final int r, final int c,
                              final long[] dictionary, final long[] scratch, final Object base, final long offset) {
        if (r < AlpRdDescriptor.MIN_RIGHT_WIDTH || r > AlpRdDescriptor.MAX_RIGHT_WIDTH || c < 0
            || c > AlpRdDescriptor.MAX_CODE_WIDTH) {
            throw new IllegalArgumentException("right width " + r + ", code width " + c);
        }
        final int entries = 1 << c;
        UnsafeApi.putByte(base, offset + AlpRdDescriptor.RIGHT_WIDTH, (byte) r);
        UnsafeApi.putByte(base, offset + AlpRdDescriptor.CODE_WIDTH, (byte) c);
        for (int k = 0; k < entries; k++) {
            final long at = offset + AlpRdDescriptor.DICTIONARY + (long) k * AlpRdDescriptor.ENTRY;
            UnsafeApi.putByte(base, at, (byte) dictionary[k]);
            UnsafeApi.putByte(base, at + 1, (byte) (dictionary[k] >>> 8));
        }
        int x = 0;
        for (int i = from, end = from + n; i < end; i++) {
            final int code = code(bits[i] >>> r, dictionary, entries);
            scratch[i] = code;
            x += code >>> 31;
        }
        long p = VarInt.write(base, offset + AlpRdDescriptor.exceptionsAt(c), x);
        int last = -1;
        for (int i = from, end = from + n; i < end && x > 0; i++) {
            if (scratch[i] < 0) {
                final long left = bits[i] >>> r;
                p = VarInt.write(base, p, i - from - last - 1);
                UnsafeApi.putByte(base, p, (byte) left);
                UnsafeApi.putByte(base, p + 1, (byte) (left >>> 8));
                p += 2;
                last = i - from;
                scratch[i] = 0;
            }
        }
        p = BitPacking.pack(scratch, from, n, c, 0, base, p);
        final long mask = -1L >>> (64 - r);
        for (int i = from, end = from + n; i < end; i++) {
            scratch[i] = bits[i] & mask;
        }
        return BitPacking.pack(scratch, from, n, r, 0, base, p);
    }

    /**
     * Decodes an ALP-RD column of exactly {@code n} values ({@code n >= 1}) at
     * {@code (base, offset)}, reading nothing at or past {@code limit}, into raw bits in
     * {@code out[at .. at + n)}.
     *
     * @return the offset after the column, or a {@link CodecStatus} error code
     */
    public static long decode(final Object base, final long offset, final long limit, final int n,
                              final long[] out, final int at) {
        if (limit - offset < AlpRdDescriptor.DICTIONARY) {
            return CodecStatus.PAST_END;
        }
        final int r = UnsafeApi.getByte(base, offset + AlpRdDescriptor.RIGHT_WIDTH) & 0xFF;
        final int c = UnsafeApi.getByte(base, offset + AlpRdDescriptor.CODE_WIDTH) & 0xFF;
        if (r < AlpRdDescriptor.MIN_RIGHT_WIDTH || r > AlpRdDescriptor.MAX_RIGHT_WIDTH
            || c > AlpRdDescriptor.MAX_CODE_WIDTH || n < 1) {
            return CodecStatus.BAD_HEADER;
        }
        final long exceptionsAt = offset + AlpRdDescriptor.exceptionsAt(c);
        if (exceptionsAt > limit) {
            return CodecStatus.PAST_END;
        }
        final long codesAt = Exceptions.skip(base, exceptionsAt, limit, n, 2, out, at);
        if (codesAt < 0) {
            return codesAt;
        }
        final long rightsAt = codesAt + BitPacking.packedBytes(n, c);
        if (rightsAt > limit) {
            return CodecStatus.PAST_END;
        }
        final long end = BitPacking.unpack(base, rightsAt, limit, n, r, 0, out, at);
        if (end < 0) {
            return end;
        }
        // the codes: two bytes from the code's first (the second lies in the codes or the rights,
        // which are at least 6 bytes), no branch; every code indexes the 2^c-entry dictionary
        final int mask = (1 << c) - 1;
        final long dictionaryAt = offset + AlpRdDescriptor.DICTIONARY;
        for (int i = 0; i < n; i++) {
            final long bit = (long) i * c;
            final long q = codesAt + (bit >>> 3);
            final int two = (UnsafeApi.getByte(base, q) & 0xFF) | (UnsafeApi.getByte(base, q + 1) & 0xFF) << 8;
            final long entry = dictionaryAt + (long) (((two >>> (bit & 7)) & mask) * AlpRdDescriptor.ENTRY);
            final long left = (UnsafeApi.getByte(base, entry) & 0xFF) | (UnsafeApi.getByte(base, entry + 1) & 0xFFL) << 8;
            out[at + i] |= left << r;
        }
        Exceptions.patch(base, exceptionsAt, 2, r, out, at);
        return end;
    }
}
