package io.runlog.cli;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoubleTextTest {
    /** Override with -Drunlog.test.seed=N to replay a failure. */
    private static long seed;

    @BeforeAll
    static void chooseSeed() {
        seed = TestSeed.of("DoubleTextTest");
    }

    private static void assertRoundTrip(final long bits) {
        final String text = DoubleText.formatBits(bits);
        assertEquals(bits, DoubleText.parseBits(text),
            () -> "bits 0x" + Long.toHexString(bits) + " -> '" + text + "' (seed " + seed + ")");
        assertEquals(text, DoubleText.format(Double.longBitsToDouble(bits)),
            () -> "format(double) differs from formatBits for 0x" + Long.toHexString(bits));
    }

    @Test
    void shouldRoundTripSpecialValuesBitExactly() {
        final long[] special = {
            0L, 0x8000000000000000L,                                   // 0.0, -0.0
            Double.doubleToRawLongBits(Double.MIN_VALUE), 0x8000000000000001L,
            Double.doubleToRawLongBits(Double.MIN_NORMAL), 0x000fffffffffffffL, // largest subnormal
            Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(-Double.MAX_VALUE),
            Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
            0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff0000000000001L, 0x7fffffffffffffffL, 0xffffffffffffffffL,
            0x7ff80000deadbeefL, 0xfff0000000000001L,
            Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(1.0 / 3), Double.doubleToRawLongBits(2e-3),
            Double.doubleToRawLongBits(1e23), Double.doubleToRawLongBits(9007199254740993.0),
        };
        for (final long bits : special) {
            assertRoundTrip(bits);
        }
    }

    @Test
    void shouldRoundTripRandomBitPatternsIncludingNaNPayloadsAndSubnormals() {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            final long any = random.nextLong();
            assertRoundTrip(any);
            final long sign = any & 0x8000000000000000L;
            final long mantissa = random.nextLong() & 0x000fffffffffffffL;
            assertRoundTrip(sign | 0x7ff0000000000000L | (mantissa == 0 ? 1 : mantissa)); // NaN with a payload
            assertRoundTrip(sign | mantissa);                                             // subnormal or zero
            assertRoundTrip(sign | ((long) random.nextInt(1, 2047) << 52) | mantissa);  // any finite
        }
    }

    @Test
    void shouldWriteCanonicalNaNPlainlyAndOtherNaNsWithTheirBits() {
        assertEquals("NaN", DoubleText.format(Double.NaN));
        assertEquals("NaN:0x7ff80000deadbeef", DoubleText.formatBits(0x7ff80000deadbeefL));
        assertEquals("NaN:0xfff8000000000000", DoubleText.formatBits(0xfff8000000000000L));
        assertEquals("NaN:0x7ff0000000000001", DoubleText.formatBits(0x7ff0000000000001L));
        assertEquals("Infinity", DoubleText.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", DoubleText.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", DoubleText.format(-0.0));
    }

    @ParameterizedTest
    @CsvSource({
        "nan, 7ff8000000000000", "NAN, 7ff8000000000000", "NaN, 7ff8000000000000",
        "inf, 7ff0000000000000", "+Inf, 7ff0000000000000", "INFINITY, 7ff0000000000000", "Infinity, 7ff0000000000000",
        "-inf, fff0000000000000", "-Infinity, fff0000000000000",
        "NaN:0x7FF80000DEADBEEF, 7ff80000deadbeef", "nan:0xfff8000000000000, fff8000000000000",
        "0, 0", "-0, 8000000000000000", "-0.0, 8000000000000000", "1, 3ff0000000000000", "+1., 3ff0000000000000",
        ".5, 3fe0000000000000", "0.000001, 3eb0c6f7a0b5ed8d", "1e0, 3ff0000000000000", "1E+1, 4024000000000000",
        "4.9e-324, 1", "0e-400, 0", "-0.000e999, 8000000000000000",
    })
    void shouldParseEveryAcceptedForm(final String text, final String hexBits) {
        assertEquals(Long.parseUnsignedLong(hexBits, 16), DoubleText.parseBits(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "abc", "1.0x", "0x1p3", "1d", "1f", "e5", ".", "-", "1e", "1e+", "--1",
        "NaN:0x7ff0000000000000", "NaN:0x0000000000000000", "NaN:0x7ff8", "NaN:0x7ff8000000000000ff", "NaN:0xzzzzzzzzzzzzzzzz",
        "-nan", "infinite", "1,5", "١"})
    void shouldRejectTextThatIsNotOneOfTheAcceptedForms(final String text) {
        final NumberFormatException e = assertThrows(NumberFormatException.class, () -> DoubleText.parseBits(text));
        assertFalse(e.getMessage().isBlank());
    }

    @ParameterizedTest
    @CsvSource({"1e999", "-1e999", "2e308", "1.8e308", "1e400", "1e-400", "-1e-400", "0.0001e-999999", "2e-324"})
    void shouldRejectDecimalsThatOverflowOrUnderflowToZero(final String text) {
        final NumberFormatException e = assertThrows(NumberFormatException.class, () -> DoubleText.parseBits(text));
        assertTrue(e.getMessage().contains("overflows") || e.getMessage().contains("underflows"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"inf, 7ff0000000000000", "-Infinity, fff0000000000000", "nan, 7ff8000000000000",
        "1.7976931348623157e308, 7fefffffffffffff", "4.9e-324, 0000000000000001", "1e-310, 000012688b70e62b", "0e5, 0"})
    void shouldKeepTheWordsTheLargestAndTheSubnormalValues(final String text, final String hexBits) {
        assertEquals(Long.parseUnsignedLong(hexBits, 16), DoubleText.parseBits(text));
    }
}
