package io.runlog.codec;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The decimal value coding: short decimals map at their exponent, bit-exactly or not at all. */
class DecimalCodingTest {
    private static long bits(final double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void shouldMapTheRealCurvesDecimalsAtTheirNumberOfDecimals() {
        assertEquals(4, DecimalCoding.exponent(bits(11.0092), 0));
        assertEquals(110_092, DecimalCoding.digits(bits(11.0092), 4));
        assertEquals(2, DecimalCoding.exponent(bits(15.37), 0));
        assertEquals(6, DecimalCoding.exponent(bits(0.000001), 0));
        assertEquals(1, DecimalCoding.digits(bits(0.000001), 6));
        assertEquals(6, DecimalCoding.exponent(bits(81.238795), 0));
        assertEquals(0, DecimalCoding.exponent(bits(17), 0));
        assertEquals(0, DecimalCoding.exponent(bits(0.0), 0));
        assertEquals(1, DecimalCoding.exponent(bits(-2.5), 0));
        assertEquals(-25, DecimalCoding.digits(bits(-2.5), 1));
        assertEquals(18, DecimalCoding.exponent(bits(3e-18), 0));
        assertEquals(2, DecimalCoding.exponent(bits(0.25), 2), "the search starts at 'from'");
    }

    @Test
    void shouldFindNoDecimalForValuesThatCannotComeBackExactly() {
        for (final double v : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 2, 1e-19, 1.5e-18}) {
            assertEquals(-1, DecimalCoding.exponent(bits(v), 0), () -> Double.toString(v));
            for (int e = 0; e <= DecimalCoding.MAX_EXPONENT; e++) {
                assertEquals(DecimalCoding.NONE, DecimalCoding.digits(bits(v), e), Double.toString(v));
            }
        }
        assertEquals(-1, DecimalCoding.exponent(0x7ff0000000000123L, 0), "a NaN payload");
        assertEquals(DecimalCoding.NONE, DecimalCoding.digits(bits(2.4631), 3), "needs 4 decimals");
    }

    @Test
    void shouldOnlyEverMapToDigitsThatDecodeToTheSameBits() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("DecimalCodingTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        int mapped = 0;
        for (int i = 0; i < 200_000; i++) {
            final int e = random.nextInt(DecimalCoding.MAX_EXPONENT + 1);
            final long b = switch (random.nextInt(3)) {
                case 0 -> random.nextLong();
                case 1 -> bits((double) (random.nextLong() >> random.nextInt(64)) / Math.pow(10, random.nextInt(19)));
                default -> bits(Float.intBitsToFloat(random.nextInt()));
            };
            final long d = DecimalCoding.digits(b, e);
            if (d != DecimalCoding.NONE) {
                assertEquals(b, DecimalCoding.decode(d, e), "seed " + seed + ": " + Long.toHexString(b) + " at e " + e);
                mapped++;
            }
        }
        assertTrue(mapped > 10_000, "seed " + seed + ": only " + mapped + " mapped");
    }

    @Test
    void shouldRescaleDigitsExactlyUpTo2To53() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("DecimalCodingTest rescale seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            final int e = random.nextInt(DecimalCoding.MAX_EXPONENT);
            final int k = 1 + random.nextInt(DecimalCoding.MAX_EXPONENT - e);
            final long d = random.nextLong((1L << 53) + 1) * (random.nextBoolean() ? 1 : -1) / (long) Math.pow(10, random.nextInt(17));
            final long scaled = DecimalCoding.rescale(d, k);
            if (scaled == DecimalCoding.NONE) {
                assertTrue(Math.abs((double) d) * Math.pow(10, k) > 0x1p53, "seed " + seed + ": " + d + " x 10^" + k);
            } else {
                assertEquals(DecimalCoding.decode(d, e), DecimalCoding.decode(scaled, e + k),
                    "seed " + seed + ": " + d + " at e " + e + " scaled by 10^" + k);
            }
        }
        assertEquals((1L << 53) / 10 * 10, DecimalCoding.rescale((1L << 53) / 10, 1));
        assertEquals(-(1L << 53) / 10 * 10, DecimalCoding.rescale(-(1L << 53) / 10, 1));
        assertEquals(DecimalCoding.NONE, DecimalCoding.rescale((1L << 53) / 10 + 1, 1));
        assertEquals(DecimalCoding.NONE, DecimalCoding.rescale(-(1L << 53) / 10 - 1, 1));
        assertEquals(Long.MAX_VALUE, DecimalCoding.rescale(Long.MAX_VALUE, 0), "k = 0 leaves any d alone");
    }

    /**
     * The one rounding rule is half to even ({@link Math#rint}); the archive's writer rounded half
     * up ({@link Math#round}) before the codings were shared. Both verify by decoding, so a file
     * decodes the same whichever rule wrote it; which values map can differ only where
     * {@code v * 10^e} is exactly halfway between two integers, which happens only for digits
     * between 2^51 (below, a half-integer product decodes from neither neighbour) and 2^52 (above,
     * every double is an integer).
     */
    @Test
    void shouldDifferFromRoundingHalfUpOnlyAtExactTiesOfSixteenDigitDecimals() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("DecimalCodingTest rounding seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        int differ = 0;
        for (int i = 0; i < 2_000_000; i++) {
            final int k = random.nextInt(8);
            final double v = random.nextDouble() * Math.pow(10, k) * (random.nextBoolean() ? 1 : -1);
            final int e = Math.min(DecimalCoding.MAX_EXPONENT, Math.max(0, 15 - k + random.nextInt(2)));
            final long b = bits(v);
            final long halfUp = Math.round(v * Math.pow(10, e));
            final long byHalfUp = DecimalCoding.decode(halfUp, e) == b ? halfUp : DecimalCoding.NONE;
            final long d = DecimalCoding.digits(b, e);
            if (d != byHalfUp) {
                differ++;
                final double scaled = v * Math.pow(10, e);
                assertEquals(0.5, Math.abs(scaled - Math.floor(scaled)) == 0.5 ? 0.5 : scaled - Math.floor(scaled),
                    "seed " + seed + ": " + v + " at e " + e + " is no exact tie");
                final long mapped = Math.abs(d != DecimalCoding.NONE ? d : byHalfUp);
                assertTrue(mapped > 1L << 51 && mapped < 1L << 52, "seed " + seed + ": " + v + " at e " + e + ", d " + mapped);
            }
        }
        assertTrue(differ > 0, "seed " + seed + ": no tie met, the test proves nothing");
    }
}
