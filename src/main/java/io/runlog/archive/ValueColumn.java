package io.runlog.archive;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.ValueMode;

/**
 * Internal: the value column coder. Doubles (as raw bits) are mapped to integers that the
 * {@link IntColumn} coder packs well, with exceptions for values the mapping cannot reproduce
 * bit for bit. The modes are {@link ValueMode}'s, with their archive codes (see
 * docs/format/archive.md, "Value column"); the mappings are the journal's, from {@code io.runlog.codec}:
 *
 * <ul>
 *   <li>{@code RAW} (0): n little-endian 64-bit words, the raw bits.</li>
 *   <li>{@code DECIMAL} (1): {@link DecimalCoding#digits}, decoded by {@link DecimalCoding#decode}.</li>
 *   <li>{@code DECIMAL_FLOAT} (2): {@link DecimalCoding#floatDigits}, decoded by
 *       {@link DecimalCoding#decodeFloat}: float32 values logged as doubles whose shortest float
 *       text is short.</li>
 *   <li>{@code FLOAT32} (3): {@link Float32Coding#floatBits}, the float's 32 raw bits
 *       (sign-extended), decoded by {@link Float32Coding#valueBits}.</li>
 *   <li>{@code BITS} (4): the raw 64 bits as integers, no exceptions: smooth full-precision curves
 *       (a schedule computed in double) whose bit patterns differ by small amounts from value to
 *       value, which the integer coder's differences (of differences) pack.</li>
 * </ul>
 *
 * Every mapped value is verified at encoding by decoding it; values that do not come back bit
 * for bit (NaN, -0.0, too many digits) are exceptions stored raw, so the coding is lossless for
 * every bit pattern. The mode and exponent are chosen on a sample of the column; the whole column
 * is then encoded once, and falls back to RAW if that is smaller.
 */
final class ValueColumn {
    private static final int RAW = ValueMode.ARCHIVE_RAW;
    private static final int DECIMAL = ValueMode.ARCHIVE_DECIMAL;
    private static final int DECIMAL_FLOAT = ValueMode.ARCHIVE_DECIMAL_FLOAT;
    private static final int FLOAT32 = ValueMode.ARCHIVE_FLOAT32;
    private static final int BITS = ValueMode.ARCHIVE_BITS;
    /** {@link #map}: the value is an exception in that mode. */
    private static final long EXCEPTION = Long.MIN_VALUE;
    private static final int SAMPLE_WINDOW = 64;
    private static final int SAMPLE_WINDOWS = 4;

    private ValueColumn() {
    }

    /** Reusable buffers of one encoder or decoder (not thread-safe). */
    static final class Scratch {
        final long[] digits;
        final long[] frame = new long[IntColumn.FRAME];
        final int[] exceptions;
        final long[] exceptionBits;
        final long[] sampleBits = new long[SAMPLE_WINDOW * SAMPLE_WINDOWS];
        final long[] sampleDigits = new long[SAMPLE_WINDOW * SAMPLE_WINDOWS];

        Scratch(final int capacity) {
            digits = new long[capacity];
            exceptions = new int[capacity];
            exceptionBits = new long[capacity];
        }
    }

    /** The integer value {@code bits} maps to in a mode (not RAW or BITS), or {@link #EXCEPTION}. */
    static long map(final long bits, final int mode, final int e) {
        return switch (mode) {
            case DECIMAL -> DecimalCoding.digits(bits, e); // NONE is EXCEPTION
            case DECIMAL_FLOAT -> DecimalCoding.floatDigits(bits, e);
            case FLOAT32 -> Float32Coding.floatBits(bits); // NOT_FLOAT is EXCEPTION
            default -> throw new IllegalArgumentException("mode " + mode);
        };
    }

    /** Encodes {@code bits[0..n)}. */
    static void encode(final long[] bits, final int n, final ByteSink out, final Scratch s) {
        final int[] choice = choose(bits, n, s);
        final int start = out.size();
        if (choice[0] != RAW) {
            encodeMapped(bits, n, choice[0], choice[1], out, s);
            if (out.size() - start <= 1 + 8L * n) {
                return;
            }
            out.truncate(start);
        }
        out.u8(RAW);
        for (int i = 0; i < n; i++) {
            out.u64(bits[i]);
        }
    }

    private static void encodeMapped(final long[] bits, final int n, final int mode, final int e, final ByteSink out,
                                     final Scratch s) {
        final long[] digits = s.digits;
        final int[] exceptions = s.exceptions;
        int x = 0;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            final long d = mode == BITS ? bits[i] : map(bits[i], mode, e);
            if (d == EXCEPTION && mode != BITS) {
                exceptions[x++] = i;
                digits[i] = previous;
            } else {
                digits[i] = d;
                previous = d;
            }
        }
        out.u8(mode);
        if (mode == BITS) {
            IntColumn.encode(digits, n, out, s.frame);
            return;
        }
        if (mode != FLOAT32) {
            out.u8(e);
        }
        out.varint(x);
        int last = -1;
        for (int k = 0; k < x; k++) {
            out.varint(exceptions[k] - last - 1);
            out.u64(bits[exceptions[k]]);
            last = exceptions[k];
        }
        IntColumn.encode(digits, n, out, s.frame);
    }

    /** Mode and exponent by trial on up to four windows of 64 consecutive values. */
    private static int[] choose(final long[] bits, final int n, final Scratch s) {
        final long[] sample = s.sampleBits;
        int m = 0;
        if (n <= sample.length) {
            System.arraycopy(bits, 0, sample, 0, n);
            m = n;
        } else {
            for (int w = 0; w < SAMPLE_WINDOWS; w++) {
                final int from = (int) ((long) (n - SAMPLE_WINDOW) * w / (SAMPLE_WINDOWS - 1));
                System.arraycopy(bits, from, sample, m, SAMPLE_WINDOW);
                m += SAMPLE_WINDOW;
            }
        }
        int bestMode = RAW;
        int bestE = 0;
        long bestCost = 8L * m;
        final boolean floats = widenedFloats(sample, m);
        for (int e = 0; e <= DecimalCoding.MAX_EXPONENT; e++) {
            final long c = sampleCost(sample, m, DECIMAL, e, s, bestCost);
            if (c < bestCost) {
                bestCost = c;
                bestMode = DECIMAL;
                bestE = e;
            }
        }
        final long bitsCost = sampleCost(sample, m, BITS, 0, s, bestCost);
        if (bitsCost < bestCost) {
            bestCost = bitsCost;
            bestMode = BITS;
            bestE = 0;
        }
        if (floats) {
            for (int e = 0; e <= DecimalCoding.MAX_FLOAT_EXPONENT; e++) {
                final long c = sampleCost(sample, m, DECIMAL_FLOAT, e, s, bestCost);
                if (c < bestCost) {
                    bestCost = c;
                    bestMode = DECIMAL_FLOAT;
                    bestE = e;
                }
            }
            final long c = sampleCost(sample, m, FLOAT32, 0, s, bestCost);
            if (c < bestCost) {
                bestMode = FLOAT32;
                bestE = 0;
            }
        }
        return new int[] {bestMode, bestE};
    }

    private static boolean widenedFloats(final long[] sample, final int m) {
        int floats = 0;
        for (int i = 0; i < m; i++) {
            final double v = Double.longBitsToDouble(sample[i]);
            if ((double) (float) v == v) {
                floats++;
            }
        }
        return floats * 2 > m;
    }

    /** Estimated bytes of the sample in one mode (windows coded separately), or more than {@code bound}. */
    private static long sampleCost(final long[] sample, final int m, final int mode, final int e, final Scratch s,
                                   final long bound) {
        final long[] digits = s.sampleDigits;
        long cost = 0;
        long previous = 0;
        for (int i = 0; i < m; i++) {
            final long d = mode == BITS ? sample[i] : map(sample[i], mode, e);
            if (d == EXCEPTION && mode != BITS) {
                cost += 10;
                if (cost >= bound) {
                    return cost;
                }
                digits[i] = previous;
            } else {
                digits[i] = d;
                previous = d;
            }
        }
        for (int from = 0; from < m; from += SAMPLE_WINDOW) {
            final int len = Math.min(SAMPLE_WINDOW, m - from);
            long c = Long.MAX_VALUE;
            for (int order = 0; order <= Math.min(2, len - 1); order++) {
                c = Math.min(c, IntColumn.cost(digits, from, len, order));
            }
            cost += c;
        }
        return cost;
    }

    /** Decodes {@code n} values into {@code out[0..n)} (raw bits). */
    static void decode(final ByteSource in, final int n, final long[] out, final Scratch s, final String what) {
        final int modeAt = in.position();
        final int mode = in.u8(what + " mode");
        if (mode == RAW) {
            if ((long) n * 8 > in.remaining()) {
                throw in.malformed(what + ": " + n + " raw values need " + 8L * n + " bytes, " + in.remaining() + " left");
            }
            for (int i = 0; i < n; i++) {
                out[i] = in.u64(what);
            }
            return;
        }
        if (mode == BITS) {
            IntColumn.decode(in, n, out, what + " bits");
            return;
        }
        if (mode > BITS) {
            throw new ByteSource.Malformed(what + ": unknown value mode " + mode, modeAt);
        }
        int e = 0;
        if (mode != FLOAT32) {
            final int eAt = in.position();
            e = in.u8(what + " exponent");
            if (e > (mode == DECIMAL ? DecimalCoding.MAX_EXPONENT : DecimalCoding.MAX_FLOAT_EXPONENT)) {
                throw new ByteSource.Malformed(what + ": exponent " + e + " out of range", eAt);
            }
        }
        final int x = in.count(what + " exception count", n, 9);
        final int[] positions = s.exceptions;
        final long[] raw = s.exceptionBits;
        int last = -1;
        for (int k = 0; k < x; k++) {
            final long gap = in.varint(what + " exception position", 0, n - 1 - (last + 1));
            last = (int) (last + 1 + gap);
            positions[k] = last;
            raw[k] = in.u64(what + " exception value");
        }
        IntColumn.decode(in, n, out, what + " digits");
        switch (mode) {
            case DECIMAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = DecimalCoding.decode(out[i], e);
                }
            }
            case DECIMAL_FLOAT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = DecimalCoding.decodeFloat(out[i], e);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    final long d = out[i];
                    if (d != (int) d) {
                        throw in.malformed(what + ": float32 value " + i + " is " + d + ", outside 32 bits");
                    }
                    out[i] = Float32Coding.valueBits((int) d); // a NaN too: 1.0 writers mapped canonical NaNs
                }
            }
        }
        for (int k = 0; k < x; k++) {
            out[positions[k]] = raw[k];
        }
    }
}
