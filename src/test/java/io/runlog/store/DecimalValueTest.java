package io.runlog.store;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The decimal value coding: short decimals map at their exponent, bit-exactly or not at all. */
class DecimalValueTest {
    private static long bits(final double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void shouldMapTheRealCurvesDecimalsAtTheirNumberOfDecimals() {
        assertEquals(4, DecimalValue.exponent(bits(11.0092), 0));
        assertEquals(110_092, DecimalValue.digits(bits(11.0092), 4));
        assertEquals(2, DecimalValue.exponent(bits(15.37), 0));
        assertEquals(6, DecimalValue.exponent(bits(0.000001), 0));
        assertEquals(1, DecimalValue.digits(bits(0.000001), 6));
        assertEquals(6, DecimalValue.exponent(bits(81.238795), 0));
        assertEquals(0, DecimalValue.exponent(bits(17), 0));
        assertEquals(0, DecimalValue.exponent(bits(0.0), 0));
        assertEquals(1, DecimalValue.exponent(bits(-2.5), 0));
        assertEquals(-25, DecimalValue.digits(bits(-2.5), 1));
        assertEquals(18, DecimalValue.exponent(bits(3e-18), 0));
        assertEquals(2, DecimalValue.exponent(bits(0.25), 2), "the search starts at 'from'");
    }

    @Test
    void shouldFindNoDecimalForValuesThatCannotComeBackExactly() {
        for (final double v : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 2, 1e-19, 1.5e-18}) {
            assertEquals(-1, DecimalValue.exponent(bits(v), 0), () -> Double.toString(v));
            for (int e = 0; e <= DecimalValue.MAX_EXPONENT; e++) {
                assertEquals(DecimalValue.NONE, DecimalValue.digits(bits(v), e), Double.toString(v));
            }
        }
        assertEquals(-1, DecimalValue.exponent(0x7ff0000000000123L, 0), "a NaN payload");
        assertEquals(DecimalValue.NONE, DecimalValue.digits(bits(2.4631), 3), "needs 4 decimals");
    }

    @Test
    void shouldOnlyEverMapToDigitsThatDecodeToTheSameBits() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("DecimalValueTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        int mapped = 0;
        for (int i = 0; i < 200_000; i++) {
            final int e = random.nextInt(DecimalValue.MAX_EXPONENT + 1);
            final long b = switch (random.nextInt(3)) {
                case 0 -> random.nextLong();
                case 1 -> bits((double) (random.nextLong() >> random.nextInt(64)) / Math.pow(10, random.nextInt(19)));
                default -> bits(Float.intBitsToFloat(random.nextInt()));
            };
            final long d = DecimalValue.digits(b, e);
            if (d != DecimalValue.NONE) {
                assertEquals(b, DecimalValue.decode(d, e), "seed " + seed + ": " + Long.toHexString(b) + " at e " + e);
                mapped++;
            }
        }
        assertTrue(mapped > 10_000, "seed " + seed + ": only " + mapped + " mapped");
    }

    @Test
    void shouldRescaleDigitsExactlyUpTo2To53() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("DecimalValueTest rescale seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            final int e = random.nextInt(DecimalValue.MAX_EXPONENT);
            final int k = 1 + random.nextInt(DecimalValue.MAX_EXPONENT - e);
            final long d = random.nextLong((1L << 53) + 1) * (random.nextBoolean() ? 1 : -1) / (long) Math.pow(10, random.nextInt(17));
            final long scaled = DecimalValue.rescale(d, k);
            if (scaled == DecimalValue.NONE) {
                assertTrue(Math.abs((double) d) * Math.pow(10, k) > 0x1p53, "seed " + seed + ": " + d + " x 10^" + k);
            } else {
                assertEquals(DecimalValue.decode(d, e), DecimalValue.decode(scaled, e + k),
                    "seed " + seed + ": " + d + " at e " + e + " scaled by 10^" + k);
            }
        }
        assertEquals((1L << 53) / 10 * 10, DecimalValue.rescale((1L << 53) / 10, 1));
        assertEquals(-(1L << 53) / 10 * 10, DecimalValue.rescale(-(1L << 53) / 10, 1));
        assertEquals(DecimalValue.NONE, DecimalValue.rescale((1L << 53) / 10 + 1, 1));
        assertEquals(DecimalValue.NONE, DecimalValue.rescale(-(1L << 53) / 10 - 1, 1));
        assertEquals(Long.MAX_VALUE, DecimalValue.rescale(Long.MAX_VALUE, 0), "k = 0 leaves any d alone");
    }
}
