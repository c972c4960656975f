package io.runlog.codec;

import org.agrona.UnsafeApi;

/**
 * A column of doubles (raw bits) in the codec that suits it (docs/format/codec.md, "Double
 * column"): one scheme byte, then that scheme's column.
 *
 * <pre>
 * u8 scheme   0 FRAMES   the raw bits as integers, {@link FrameColumn}
 *             1 ALP      {@link AlpCoding}        decimals
 *             2 ALP_RD   {@link AlpRdCoding}      real doubles cut into left and right parts
 *             3 FLOAT32  {@link Float32Frames}    float32 values widened (no NaN)
 * ...         the scheme's column
 * </pre>
 *
 * <p>{@link #choose} picks a scheme on a sample (a caller coding many columns of one metric may
 * keep its result and re-choose now and then); {@link #encode} codes with it. Stateless and
 * allocation-free; every bit pattern round-trips in every scheme that accepts it (FLOAT32 only
 * when every value is a float32, which {@link #encode} checks).
 */
public final class DoubleColumn {
    public static final int FRAMES = 0;
    public static final int ALP = 1;
    public static final int ALP_RD = 2;
    public static final int FLOAT32 = 3;
    /** Sampled values per choice. */
    public static final int SAMPLE = 32;

    private DoubleColumn() {
    }

    /** Most bytes {@link #encode} writes for {@code n} values, whatever the scheme. */
    public static long maxLength(final int n) {
        return 1 + Math.max(Math.max(FrameColumn.maxLength(n), AlpCoding.maxLength(n)), AlpRdCoding.maxLength(n));
    }

    /** {@link #choose}'s scheme. */
    public static int scheme(final int choice) {
        return choice & 0xFF;
    }

    /**
     * The scheme for {@code bits[from .. from + n)} ({@code n >= 1}), as {@code scheme | e << 8 |
     * f << 16} (ALP's exponent and factor, else 0): ALP if the sampled values are mostly decimals
     * ({@link AlpCoding#chooseExponent}), else FLOAT32 if every sampled value is a non-NaN
     * float32, else FRAMES (the measured winner over ALP-RD on noisy full-precision values:
     * docs/BENCHMARKS.md, "Codec: frame packing and ALP").
     */
    public static int choose(final long[] bits, final int from, final int n) {
        final int e = AlpCoding.chooseExponent(bits, from, n);
        if (e >= 0) {
            return ALP | e << 8 | AlpCoding.chooseFactor(bits, from, n, e) << 16;
        }
        final int m = Math.min(n, SAMPLE);
        for (int k = 0; k < m; k++) {
            if (Float32Coding.floatBits(bits[from + (int) ((long) k * n / m)]) == Float32Coding.NOT_FLOAT) {
                return FRAMES;
            }
        }
        return FLOAT32;
    }

    /**
     * Encodes {@code bits[from .. from + n)} ({@code n >= 1}) in the scheme of {@code choice}
     * ({@link #choose}); a FLOAT32 choice falls back to FRAMES if some value is no float32.
     * {@code scratch} holds at least {@code from + n} entries (overwritten); {@code dictionary} at
     * least {@link AlpRdCoding#MAX_DICTIONARY}. The caller guarantees {@link #maxLength} bytes.
     *
     * @return the offset after the column
     */
    public static long encode(final long[] bits, final int from, final int n, final int choice,
                              final long[] scratch, final long[] dictionary, final Object base, final long offset) {
        int scheme = scheme(choice);
        if (scheme == FLOAT32) {
            for (int i = from, end = from + n; i < end; i++) {
                final long f = Float32Coding.floatBits(bits[i]);
                scratch[i] = f;
                if (f == Float32Coding.NOT_FLOAT) {
                    scheme = FRAMES;
                    break;
                }
            }
        }
        UnsafeApi.putByte(base, offset, (byte) scheme);
        final long p = offset + 1;
        return switch (scheme) {
            case ALP -> AlpCoding.encode(bits, from, n, (choice >>> 8) & 0xFF, choice >>> 16, scratch, base, p);
            case ALP_RD -> {
                final int cut = AlpRdCoding.choose(bits, from, n, scratch, dictionary);
                yield AlpRdCoding.encode(bits, from, n, AlpRdCoding.rightWidth(cut), AlpRdCoding.codeWidth(cut),
                    dictionary, scratch, base, p);
            }
            case FLOAT32 -> Float32Frames.encode(scratch, from, n, base, p);
            default -> FrameColumn.encode(bits, from, n, base, p);
        };
    }

    /**
     * Decodes a column of exactly {@code n} values ({@code n >= 1}) into raw bits in
     * {@code out[at .. at + n)}, reading nothing at or past {@code limit}.
     *
     * @return the offset after the column, or a {@link CodecStatus} error code
     */
    public static long decode(final Object base, final long offset, final long limit, final int n,
                              final long[] out, final int at) {
        if (offset >= limit) {
            return CodecStatus.PAST_END;
        }
        if (n < 1) {
            return CodecStatus.BAD_HEADER;
        }
        final long p = offset + 1;
        return switch (UnsafeApi.getByte(base, offset)) {
            case FRAMES -> FrameColumn.decode(base, p, limit, n, out, at);
            case ALP -> AlpCoding.decode(base, p, limit, n, out, at);
            case ALP_RD -> AlpRdCoding.decode(base, p, limit, n, out, at);
            case FLOAT32 -> Float32Frames.decode(base, p, limit, n, out, at);
            default -> CodecStatus.BAD_HEADER;
        };
    }
}
