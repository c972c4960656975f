package io.runlog.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Specific guarantees of the frame codecs: the error codes named in their contracts, and the exception paths. */
class FrameCodecContractTest {
    private static final long BASE = VarInt.BYTE_ARRAY_BASE;

    @Test
    void float32FramesRefusesANanPatternAndAPatternBeyond32Bits() {
        final byte[] b = new byte[64];
        final long[] nan = {0x7FC00001L, 0x3F800000L};
        long end = FrameColumn.encode(nan, 0, 2, 0, b, BASE);
        assertEquals(CodecStatus.BAD_VALUE, Float32Frames.decode(b, BASE, end, 2, new long[2], 0));
        final long[] wide = {1L << 40, 0x3F800000L};
        end = FrameColumn.encode(wide, 0, 2, 0, b, BASE);
        assertEquals(CodecStatus.BAD_VALUE, Float32Frames.decode(b, BASE, end, 2, new long[2], 0));
        final long[] ok = {0x3F800000L, Float.floatToRawIntBits(-0.0f), 0x7F800000L};
        end = Float32Frames.encode(ok, 0, 3, b, BASE);
        final long[] out = new long[3];
        assertEquals(end, Float32Frames.decode(b, BASE, end, 3, out, 0));
        assertEquals(Double.doubleToRawLongBits(1.0), out[0]);
        assertEquals(Double.doubleToRawLongBits(-0.0), out[1]);
        assertEquals(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), out[2]);
    }

    @Test
    void alpRdKeepsLeftPartsOutsideItsDictionaryAsExceptions() {
        final int n = 300;
        final long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.doubleToRawLongBits(2.5 + i * 1e-9);
        }
        v[7] = Double.doubleToRawLongBits(-1e300); // a left part no sampled value has
        v[299] = 0x7FF8_0000_0000_1234L; // a NaN with a payload
        final long[] dictionary = new long[AlpRdCoding.MAX_DICTIONARY];
        final int cut = AlpRdCoding.choose(v, 0, n, new long[n], dictionary);
        final byte[] b = new byte[(int) AlpRdCoding.maxLength(n)];
        final long end = AlpRdCoding.encode(v, 0, n, AlpRdCoding.rightWidth(cut), AlpRdCoding.codeWidth(cut),
            dictionary, new long[n], b, BASE);
        final int c = AlpRdCoding.codeWidth(cut);
        assertTrue(b[AlpRdDescriptor.exceptionsAt(c)] >= 2, "two exceptions listed, was " + b[AlpRdDescriptor.exceptionsAt(c)]);
        final long[] out = new long[n];
        assertEquals(end, AlpRdCoding.decode(b, BASE, end, n, out, 0));
        assertArrayEquals(v, out);
    }

    @Test
    void alpCodesDecimalsWithAFactorAndKeepsNonDecimalsAsExceptions() {
        final int n = 200;
        final long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.doubleToRawLongBits(1_000 * (i + 1) + 0.5); // e = 1, digits end in 5: f = 0
        }
        v[3] = Double.doubleToRawLongBits(Math.PI);
        v[4] = Double.doubleToRawLongBits(-0.0);
        assertEquals(1, AlpCoding.chooseExponent(v, 0, n));
        final long[] round = new long[n];
        for (int i = 0; i < n; i++) {
            round[i] = Double.doubleToRawLongBits(1_000_000.0 * i);
        }
        assertEquals(0, AlpCoding.chooseExponent(round, 0, n));
        assertEquals(0, AlpCoding.chooseFactor(round, 0, n, 0), "digit 0 is divisible by anything, but e = 0 caps f");
        final long[] scaled = new long[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = Double.doubleToRawLongBits(100.0 * (i + 1) / 10); // 10, 20, ... at e = 1: digits 100, 200
        }
        final int e = 1;
        assertEquals(1, AlpCoding.chooseFactor(scaled, 0, n, e));
        for (final long[] column : new long[][] {v, scaled}) {
            final byte[] b = new byte[(int) AlpCoding.maxLength(n)];
            final int f = AlpCoding.chooseFactor(column, 0, n, e);
            final long end = AlpCoding.encode(column, 0, n, e, f, new long[n], b, BASE);
            assertEquals(f, b[AlpDescriptor.FACTOR]);
            final long[] out = new long[n];
            assertEquals(end, AlpCoding.decode(b, BASE, end, n, out, 0));
            assertArrayEquals(column, out);
        }
    }

    @Test
    void alpRefusesFullPrecisionValuesThatOnlyRoundTripWithHugeDigits() {
        final java.util.Random random = new java.util.Random(42);
        final long[] v = new long[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.doubleToRawLongBits(2.5 + 0.05 * random.nextGaussian());
        }
        assertEquals(-1, AlpCoding.chooseExponent(v, 0, v.length));
        assertEquals(DoubleColumn.FRAMES, DoubleColumn.scheme(DoubleColumn.choose(v, 0, v.length)));
    }

    @Test
    void badHeadersAreRefusedByCode() {
        final byte[] b = new byte[32];
        b[0] = 19; // ALP exponent above 18
        assertEquals(CodecStatus.BAD_HEADER, AlpCoding.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        b[0] = 2;
        b[1] = 3; // factor above the exponent
        assertEquals(CodecStatus.BAD_HEADER, AlpCoding.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        b[0] = 47; // ALP-RD right width below 48
        assertEquals(CodecStatus.BAD_HEADER, AlpRdCoding.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        b[0] = 3; // order 3
        assertEquals(CodecStatus.BAD_ORDER, FrameColumn.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        b[0] = 2; // order 2 for 2 values
        assertEquals(CodecStatus.BAD_ORDER, FrameColumn.decode(b, BASE, BASE + 32, 2, new long[2], 0));
        b[0] = 0;
        b[1] = 0;
        b[2] = 65; // frame width 65
        assertEquals(CodecStatus.BAD_WIDTH, FrameColumn.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        b[0] = 9; // scheme 9
        assertEquals(CodecStatus.BAD_HEADER, DoubleColumn.decode(b, BASE, BASE + 32, 4, new long[4], 0));
        assertEquals(CodecStatus.PAST_END, FrameColumn.decode(b, BASE, BASE, 4, new long[4], 0));
    }
}
