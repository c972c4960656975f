package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * ALP for decimal doubles (Afroozeh and Boncz, SIGMOD 2024), frame-packed
 * (docs/format/codec.md, "ALP"; layout {@link AlpDescriptor}): value {@code v} is coded as the
 * digits {@code d} with {@code (double) (d * 10^f) / 10^e == v} bit for bit, the integers packed
 * by {@link FrameColumn}; values with no such {@code d} (NaN, -0.0, infinities, subnormals, noisy
 * full-precision values) are exceptions kept as positions and raw bits. The digits are
 * {@link DecimalCoding#digits} (one rounding rule, {@link Math#rint}) divided by {@code 10^f};
 * every mapping is verified, so every bit pattern round-trips.
 *
 * <p>{@link #chooseExponent} picks {@code e} on a sample and {@link #chooseFactor} {@code f}; a
 * caller coding many columns of one metric may keep them and pass them to {@link #encode}.
 * Stateless, allocation-free, thread-safe; addressing as in {@link BitPacking}.
 */
public final class AlpCoding {
    /** Values sampled by the choosers (evenly spaced over the column). */
    public static final int SAMPLE = 32;
    /** Digits up to 2^53 in magnitude convert to double exactly. */
    private static final long EXACT = 1L << 53;
    private static final long[] LONG_POW10 = new long[DecimalCoding.MAX_EXPONENT + 1];
    private static final double[] POW10 = new double[DecimalCoding.MAX_EXPONENT + 1];

    static {
        long p = 1;
        for (int e = 0; e <= DecimalCoding.MAX_EXPONENT; e++) {
            LONG_POW10[e] = p;
            POW10[e] = p;
            p *= 10;
        }
    }

    private AlpCoding() {
    }

    /** Most bytes {@link #encode} writes for {@code n} values. */
    public static long maxLength(final int n) {
        return AlpDescriptor.HEADER_LENGTH + VarInt.MAX_LENGTH + (long) n * (VarInt.MAX_LENGTH + 8)
            + FrameColumn.maxLength(n);
    }

    /** The digits of {@code bits} at {@code (e, f)}, or {@link DecimalCoding#NONE}: an exception. */
    public static long digits(final long bits, final int e, final int f) {
        final long d = DecimalCoding.digits(bits, e);
        if (f == 0 || d == DecimalCoding.NONE) {
            return d;
        }
        return d % LONG_POW10[f] == 0 ? d / LONG_POW10[f] : DecimalCoding.NONE;
    }

    /**
     * The exponent for {@code bits[from .. from + n)}: on {@link #SAMPLE} evenly spaced values,
     * the candidate (each sampled value's smallest exponent) that leaves the fewest sampled
     * exceptions, the smaller on ties; -1 if more than a quarter of the sample are exceptions at
     * the best one, or if a sampled value's digits exceed 2^53 in magnitude (full-precision values
     * that happen to round-trip at e = 16..18) (then ALP does not pay: see {@link AlpRdCoding} and
     * {@link FrameColumn}).
     */
    public static int chooseExponent(final long[] bits, final int from, final int n) {
        final int m = Math.min(n, SAMPLE);
        long seen = 0; // bit e set: some sampled value's smallest exponent is e
        int failed = 0;
        for (int k = 0; k < m; k++) {
            final int e = DecimalCoding.exponent(bits[sampleIndex(from, n, m, k)], 0);
            if (e < 0) {
                if (++failed * 4 > m) {
                    return -1;
                }
            } else {
                seen |= 1L << e;
            }
        }
        int best = -1;
        int bestExceptions = Integer.MAX_VALUE;
        for (long s = seen; s != 0; s &= s - 1) {
            final int e = Long.numberOfTrailingZeros(s);
            int exceptions = 0;
            for (int k = 0; k < m; k++) {
                if (DecimalCoding.digits(bits[sampleIndex(from, n, m, k)], e) == DecimalCoding.NONE) {
                    exceptions++;
                }
            }
            if (exceptions < bestExceptions) {
                bestExceptions = exceptions;
                best = e;
            }
        }
        if (best < 0 || bestExceptions * 4 > m) {
            return -1;
        }
        for (int k = 0; k < m; k++) { // digits beyond 2^53 are no decimals: full-precision values that
            // happen to round-trip at e = 16..18 with 60-bit digits, which the raw bits pack better
            final long d = DecimalCoding.digits(bits[sampleIndex(from, n, m, k)], best);
            if (d != DecimalCoding.NONE && (d > EXACT || d < -EXACT)) {
                return -1;
            }
        }
        return best;
    }

    /** The largest {@code f <= e} dividing every sampled value's digits at {@code e} (0 if none sampled maps). */
    public static int chooseFactor(final long[] bits, final int from, final int n, final int e) {
        final int m = Math.min(n, SAMPLE);
        int f = e;
        for (int k = 0; k < m && f > 0; k++) {
            final long d = DecimalCoding.digits(bits[sampleIndex(from, n, m, k)], e);
            if (d != DecimalCoding.NONE) {
                while (f > 0 && d % LONG_POW10[f] != 0) {
                    f--;
                }
            }
        }
        return f;
    }

    private static int sampleIndex(final int from, final int n, final int m, final int k) {
        return from + (int) ((long) k * n / m);
    }

    /**
     * Encodes {@code bits[from .. from + n)} at exponent {@code e} and factor {@code f}
     * ({@code 0 <= f <= e <= 18}) at {@code (base, offset)}; {@code digits} is the caller's
     * scratch of at least {@code from + n} entries (overwritten at {@code [from, from + n)}). The
     * caller guarantees {@link #maxLength} bytes of room.
     *
     * @return the offset after the column
     */
    public static long encode(final long[] bits, final int from, final int n, final int e, final int f,
                              final long[] digits, final Object base, final long offset) {
        if (e < 0 || e > DecimalCoding.MAX_EXPONENT || f < 0 || f > e) {
            throw new IllegalArgumentException("exponent " + e + ", factor " + f);
        }
        int x = 0;
        for (int i = from, end = from + n; i < end; i++) {
            final long d = digits(bits[i], e, f);
            digits[i] = d;
            x += d == DecimalCoding.NONE ? 1 : 0;
        }
        UnsafeApi.putByte(base, offset + AlpDescriptor.EXPONENT, (byte) e);
        UnsafeApi.putByte(base, offset + AlpDescriptor.FACTOR, (byte) f);
        long p = VarInt.write(base, offset + AlpDescriptor.HEADER_LENGTH, x);
        if (x > 0) {
            long previous = 0;
            int last = -1;
            for (int i = from, end = from + n; i < end; i++) {
                if (digits[i] == DecimalCoding.NONE) {
                    p = VarInt.write(base, p, i - from - last - 1);
                    p = Exceptions.putLongLe(base, p, bits[i]);
                    last = i - from;
                    digits[i] = previous;
                } else {
                    previous = digits[i];
                }
            }
        }
        return FrameColumn.encode(digits, from, n, base, p);
    }

    /**
     * Decodes an ALP column of exactly {@code n} values at {@code (base, offset)}, reading nothing
     * at or past {@code limit}, into raw bits in {@code out[at .. at + n)}.
     *
     * @return the offset after the column, or a {@link CodecStatus} error code
     */
    public static long decode(final Object base, final long offset, final long limit, final int n,
                              final long[] out, final int at) {
        if (n < 1) {
            return CodecStatus.BAD_HEADER;
        }
        if (limit - offset < AlpDescriptor.HEADER_LENGTH) {
            return CodecStatus.PAST_END;
        }
        final int e = UnsafeApi.getByte(base, offset + AlpDescriptor.EXPONENT) & 0xFF;
        final int f = UnsafeApi.getByte(base, offset + AlpDescriptor.FACTOR) & 0xFF;
        if (e > DecimalCoding.MAX_EXPONENT || f > e) {
            return CodecStatus.BAD_HEADER;
        }
        final long exceptionsAt = offset + AlpDescriptor.HEADER_LENGTH;
        final long p = Exceptions.skip(base, exceptionsAt, limit, n, 8, out, at);
        if (p < 0) {
            return p;
        }
        final long end = FrameColumn.decode(base, p, limit, n, out, at);
        if (end < 0) {
            return end;
        }
        final long factor = LONG_POW10[f];
        final double divisor = POW10[e];
        if (f > 0) {
            for (int i = at, stop = at + n; i < stop; i++) {
                out[i] *= factor;
            }
        }
        DecimalCoding.divide(out, at, n, divisor);
        Exceptions.patch(base, exceptionsAt, 8, 64, out, at);
        return end;
    }
}
