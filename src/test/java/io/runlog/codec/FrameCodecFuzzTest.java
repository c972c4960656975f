package io.runlog.codec;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Malformed columns (random garbage, truncations and byte flips of valid columns) never throw,
 * never write outside {@code out[at .. at + n)}, return an error code or an end within the limit,
 * and never depend on a byte at or past the limit (decoded twice with different bytes after it,
 * the results are identical: nothing past the limit was read).
 */
class FrameCodecFuzzTest {
    interface Decoder {
        long decode(Object base, long offset, long limit, int n, long[] out, int at);
    }

    private static final Decoder[] DECODERS = {
        FrameColumn::decode, AlpCoding::decode, AlpRdCoding::decode, Float32Frames::decode, DoubleColumn::decode,
    };

    private static void check(final byte[] column, final int length, final int n, final SplittableRandom random,
                              final String what) {
        final byte[] a = new byte[length + 64];
        final byte[] b = new byte[length + 64];
        System.arraycopy(column, 0, a, 0, length);
        System.arraycopy(column, 0, b, 0, length);
        for (int i = length; i < a.length; i++) {
            a[i] = (byte) random.nextInt();
            b[i] = (byte) ~a[i];
        }
        final long limit = VarInt.BYTE_ARRAY_BASE + length;
        for (int d = 0; d < DECODERS.length; d++) {
            final long[] outA = new long[n + 2];
            final long[] outB = new long[n + 2];
            outA[0] = outB[0] = 11;
            outA[n + 1] = outB[n + 1] = 13;
            final long ra = DECODERS[d].decode(a, VarInt.BYTE_ARRAY_BASE, limit, n, outA, 1);
            final long rb = DECODERS[d].decode(b, VarInt.BYTE_ARRAY_BASE, limit, n, outB, 1);
            final String where = what + " decoder " + d + " n " + n + " length " + length;
            assertEquals(ra, rb, where + ": the result depends on bytes past the limit");
            assertTrue(ra < 0 || ra <= limit, where + ": end past the limit");
            if (ra < 0) {
                assertFalse(CodecStatus.describe(ra).startsWith("unknown"), where + ": unknown code " + ra);
            } else {
                assertArrayEquals(outA, outB, where + ": values depend on bytes past the limit");
            }
            assertEquals(11, outA[0], where + ": wrote before at");
            assertEquals(13, outA[n + 1], where + ": wrote past at + n");
        }
    }

    @Test
    void randomGarbageIsRefusedOrDecodedWithinItsLimit() {
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FrameCodecFuzzTest.garbage"));
        for (int round = 0; round < 3000; round++) {
            final int n = 1 + random.nextInt(300);
            final int length = random.nextInt(200);
            final byte[] column = new byte[length];
            for (int i = 0; i < length; i++) {
                column[i] = (byte) random.nextInt();
            }
            if (length > 0 && random.nextBoolean()) {
                column[0] = (byte) random.nextInt(4); // a plausible order or scheme byte
            }
            check(column, length, n, random, "garbage round " + round);
        }
    }

    @Test
    void truncatedAndFlippedValidColumnsAreRefusedOrDecodedWithinTheirLimit() {
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FrameCodecFuzzTest.truncated"));
        for (int round = 0; round < 400; round++) {
            final int n = 1 + random.nextInt(400);
            final long[] v = FrameCodecRoundTripTest.column(random, n, random.nextInt(9));
            final byte[] column = new byte[(int) DoubleColumn.maxLength(n)];
            final int scheme = random.nextInt(5);
            final long end;
            if (scheme == 4) {
                end = FrameColumn.encode(v, 0, n, column, VarInt.BYTE_ARRAY_BASE);
            } else {
                final int e = Math.max(0, AlpCoding.chooseExponent(v, 0, n));
                end = DoubleColumn.encode(v, 0, n, scheme | e << 8, new long[n], new long[8], column,
                    VarInt.BYTE_ARRAY_BASE);
            }
            final int length = (int) (end - VarInt.BYTE_ARRAY_BASE);
            for (int cut = Math.max(0, length - 24); cut < length; cut++) { // every cut near the end
                check(column, cut, n, random, "cut " + cut + " of " + length);
            }
            check(column, random.nextInt(length + 1), n, random, "random cut of " + length);
            final byte[] flipped = Arrays.copyOf(column, length);
            for (int k = 0; k < 3; k++) {
                flipped[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
            }
            check(flipped, length, n, random, "flipped");
        }
    }
}
