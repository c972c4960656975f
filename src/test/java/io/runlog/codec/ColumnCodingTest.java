package io.runlog.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The column codings round-trip every value, and malformed columns are refused, never read past. */
class ColumnCodingTest {
    @Test
    void shouldRoundTripRandomDeltaAndXorColumns() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("ColumnCodingTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            final int count = 1 + random.nextInt(300);
            final long[] in = new long[count];
            for (int i = 0; i < count; i++) {
                in[i] = switch (random.nextInt(4)) {
                    case 0 -> random.nextLong();
                    case 1 -> i == 0 ? 0 : in[i - 1];
                    case 2 -> (i == 0 ? 0 : in[i - 1]) + random.nextInt(3) - 1;
                    default -> i == 0 ? Long.MIN_VALUE : in[i - 1] ^ (1L << random.nextInt(64));
                };
            }
            final UnsafeBuffer buf = direct(count * (VarInt.MAX_LENGTH + XorCoding.MAX_LENGTH) + 16);
            final long base = buf.addressOffset();
            long cursor = base;
            long previous = 0;
            for (final long v : in) {
                final long next = VarInt.write(cursor, VarInt.zigzag(v - previous));
                assertEquals(VarInt.length(VarInt.zigzag(v - previous)), next - cursor);
                cursor = next;
                previous = v;
            }
            final int deltaEnd = (int) (cursor - base);
            final long limit = base + buf.capacity();
            previous = 0;
            for (final long v : in) {
                final long next = XorCoding.write(cursor, v ^ previous, limit);
                assertEquals(XorCoding.length(v ^ previous), next - cursor);
                cursor = next;
                previous = v;
            }
            final int valueEnd = (int) (cursor - base);
            final long[] deltas = new long[count];
            final long[] values = new long[count];
            assertEquals(0, VarInt.decodeDeltas(base, base + deltaEnd, deltas, 0, count), "seed " + seed);
            assertEquals(0, XorCoding.decodeColumn(base + deltaEnd, base + valueEnd, values, 0, count), "seed " + seed);
            assertArrayEquals(in, deltas, "seed " + seed);
            assertArrayEquals(in, values, "seed " + seed);
        }
    }

    @Test
    void shouldRoundTripRandomBitsColumns() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("ColumnCodingTest bits seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            final int count = 1 + random.nextInt(300);
            final long[] bits = new long[count];
            for (int i = 0; i < count; i++) {
                bits[i] = random.nextInt(3) == 0 ? random.nextLong()
                    : Double.doubleToRawLongBits((i + random.nextInt(3)) * 1e-3 * (random.nextBoolean() ? 1 : -1));
            }
            final UnsafeBuffer buf = direct(count * VarInt.MAX_LENGTH + 16);
            final long base = buf.addressOffset();
            long cursor = base;
            long previous = 0;
            long difference = 0;
            for (final long b : bits) {
                cursor = VarInt.write(cursor, BitsCoding.code(b, previous, difference));
                difference = b - previous;
                previous = b;
            }
            final long[] values = new long[count + 2];
            assertEquals(0, BitsCoding.decodeColumn(base, base + (cursor - base), values, 2, count), "seed " + seed);
            assertArrayEquals(bits, java.util.Arrays.copyOfRange(values, 2, count + 2), "seed " + seed);
            assertEquals(-1, BitsCoding.decodeColumn(base, base + (cursor - base) - 1, values, 2, count), "a cut column");
        }
    }

    private static final float[] FLOAT_EDGES = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void shouldRoundTripRandomFloat32Columns() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("ColumnCodingTest float32 seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            final int count = 1 + random.nextInt(300);
            final long[] bits = new long[count];
            for (int i = 0; i < count; i++) {
                float f;
                do { // any non-NaN float: an edge case, random bits, or a curve moving by a little
                    final int pick = random.nextInt(8);
                    f = pick == 0 ? FLOAT_EDGES[random.nextInt(FLOAT_EDGES.length)]
                        : pick < 3 ? Float.intBitsToFloat(random.nextInt())
                        : (float) (i * 1e-3 + random.nextGaussian() * 1e-2);
                } while (Float.isNaN(f));
                bits[i] = Double.doubleToRawLongBits(f);
            }
            final UnsafeBuffer buf = direct(count * Float32Coding.MAX_LENGTH + 16);
            final long base = buf.addressOffset();
            long cursor = base;
            int previous = 0;
            for (final long b : bits) {
                final int f = (int) Float32Coding.floatBits(b);
                cursor = VarInt.write(cursor, Float32Coding.code(f, previous));
                previous = f;
            }
            assertTrue(cursor - base <= (long) Float32Coding.MAX_LENGTH * count);
            final long[] values = new long[count + 2];
            assertEquals(0, Float32Coding.decodeColumn(base, base + (cursor - base), values, 2, count), "seed " + seed);
            assertArrayEquals(bits, java.util.Arrays.copyOfRange(values, 2, count + 2), "seed " + seed);
            assertEquals(-1, Float32Coding.decodeColumn(base, base + (cursor - base) - 1, values, 2, count), "a cut column");
        }
    }

    @Test
    void shouldRejectAFloat32ColumnThatDecodesToANanOrADifferenceBeyond32Bits() {
        final UnsafeBuffer buf = direct(64);
        final long base = buf.addressOffset();
        final long[] values = new long[2];
        long end = VarInt.write(base, Float32Coding.code(Float.floatToRawIntBits(Float.NaN), 0));
        assertEquals(-1, Float32Coding.decodeColumn(base, base + (end - base), values, 0, 1), "a NaN is never written");
        end = VarInt.write(base, VarInt.zigzag(1L << 33));
        assertEquals(-1, Float32Coding.decodeColumn(base, base + (end - base), values, 0, 1), "a 34-bit difference");
        end = VarInt.write(base, Float32Coding.code(Float.floatToRawIntBits(1.5f), 0));
        assertEquals(0, Float32Coding.decodeColumn(base, base + (end - base), values, 0, 1));
        assertEquals(Double.doubleToRawLongBits(1.5), values[0]);
    }

    @Test
    void shouldTakeOnlyExactNonNanFloatsAsFloat32() {
        assertEquals(Float.floatToRawIntBits(0.1f), (int) Float32Coding.floatBits(Double.doubleToRawLongBits(0.1f)));
        assertEquals(Float32Coding.NOT_FLOAT, Float32Coding.floatBits(Double.doubleToRawLongBits(0.1)));
        assertEquals(Float32Coding.NOT_FLOAT, Float32Coding.floatBits(Double.doubleToRawLongBits(Double.NaN)));
        assertEquals(Float32Coding.NOT_FLOAT, Float32Coding.floatBits(Double.doubleToRawLongBits(Double.MIN_VALUE)));
        assertEquals(Float32Coding.NOT_FLOAT, Float32Coding.floatBits(Double.doubleToRawLongBits(1e300)));
        assertEquals(Float.floatToRawIntBits(-0.0f), (int) Float32Coding.floatBits(Double.doubleToRawLongBits(-0.0)));
        assertEquals(Float.floatToRawIntBits(Float.MIN_VALUE),
            (int) Float32Coding.floatBits(Double.doubleToRawLongBits(Float.MIN_VALUE)));
        assertEquals(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY),
            (int) Float32Coding.floatBits(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void shouldRoundTripRandomDecimalColumns() {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("ColumnCodingTest decimal seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            final int count = 1 + random.nextInt(300);
            final int e = random.nextInt(DecimalCoding.MAX_EXPONENT + 1);
            final long[] digits = new long[count];
            for (int i = 0; i < count; i++) {
                digits[i] = random.nextInt(3) == 0 ? random.nextLong() : (i == 0 ? 0 : digits[i - 1]) + random.nextInt(201) - 100;
            }
            final UnsafeBuffer buf = direct(count * VarInt.MAX_LENGTH + 16);
            final long base = buf.addressOffset();
            long cursor = base;
            long previous = 0;
            for (final long d : digits) {
                cursor = VarInt.write(cursor, VarInt.zigzag(d - previous));
                previous = d;
            }
            final long[] values = new long[count + 2];
            assertEquals(0, DecimalCoding.decodeColumn(base, base + (cursor - base), values, 2, count, e),
                "seed " + seed);
            for (int i = 0; i < count; i++) {
                assertEquals(Double.doubleToRawLongBits((double) digits[i] / Math.pow(10, e)), values[2 + i],
                    "seed " + seed + ", value " + i);
                assertEquals(DecimalCoding.decode(digits[i], e), values[2 + i], "seed " + seed + ", value " + i);
            }
        }
    }

    @Test
    void shouldRefuseMalformedDecimalColumns() {
        final long[] out = new long[4];
        // a varint whose continuation bit runs off the column
        assertEquals(-1, DecimalCoding.decodeColumn(column(0x02, 0x80), end, out, 0, 2, 3));
        // fewer codes than the count
        assertEquals(-1, DecimalCoding.decodeColumn(column(0x02), end, out, 0, 2, 3));
        // bytes left over after the count
        assertEquals(-1, DecimalCoding.decodeColumn(column(0x02, 0x02), end, out, 0, 1, 3));
    }

    @Test
    void shouldRefuseMalformedColumns() {
        final long[] out = new long[4];
        // a varint whose continuation bit runs off the column
        assertEquals(-1, VarInt.decodeDeltas(column(0x80, 0x80), end, out, 0, 1));
        // a varint longer than 64 bits
        assertEquals(-1, VarInt.decodeDeltas(column(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), end, out, 0, 1));
        // a column with bytes left over after its count
        assertEquals(-1, VarInt.decodeDeltas(column(0x02, 0x02), end, out, 0, 1));
        // fewer values than the count
        assertEquals(-1, XorCoding.decodeColumn(column(0xFF), end, out, 0, 2));
        // a value header claiming 8 zero bytes (lead 4 + trail 4): no middle bytes, not a valid code
        assertEquals(-1, XorCoding.decodeColumn(column(0x44), end, out, 0, 1));
        // a value header whose middle bytes run past the column
        assertEquals(-1, XorCoding.decodeColumn(column(0x00, 1, 2, 3), end, out, 0, 1));
    }

    @Test
    void shouldRefuseATenthVarintByteCarryingBitsBeyond64() {
        final long[] out = new long[1];
        // the canonical code of zigzag -1 (all 64 bits set) ends in 0x01; 0x7F would carry 6 bits past bit 63
        assertEquals(0, VarInt.decodeDeltas(column(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), end, out, 0, 1));
        assertEquals(-1, VarInt.decodeDeltas(column(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), end, out, 0, 1));
        assertEquals(-1, DecimalCoding.decodeColumn(column(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02), end, out, 0, 1, 3));
    }

    /** The end address of the last {@link #column}: Java evaluates arguments left to right, so {@code column(..), end} pairs up. */
    private long end;

    /**
     * A column holding {@code bytes} in direct memory, with slack after them so word reads stay
     * inside it; returns its address and sets {@link #end}.
     */
    private long column(final int... bytes) {
        final UnsafeBuffer b = direct(bytes.length + 16);
        for (int i = 0; i < bytes.length; i++) {
            b.putByte(i, (byte) bytes[i]);
        }
        end = b.addressOffset() + bytes.length;
        return b.addressOffset();
    }

    private static final java.util.List<UnsafeBuffer> KEEP_ALIVE = new java.util.ArrayList<>();

    private static UnsafeBuffer direct(final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(length));
        KEEP_ALIVE.add(b); // raw addresses are used after this returns: keep the memory reachable
        return b;
    }
}
