package io.runlog.codec;

import io.runlog.testing.TestSeed;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The frame-packed codecs (FrameColumn, ALP, ALP-RD, Float32Frames, DoubleColumn) give back every
 * value bit for bit, on raw memory and on byte arrays, write nothing past the end they return,
 * and decode exactly to that end.
 */
class FrameCodecRoundTripTest {
    /** Generated column kinds: steps, jittered timestamps, random bits, noisy and smooth floats, specials. */
    static long[] column(final SplittableRandom random, final int n, final int kind) {
        final long[] v = new long[n];
        final Random gauss = new Random(random.nextLong());
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> i;
                case 1 -> 1_700_000_000_000L + 10L * i + random.nextInt(3);
                case 2 -> random.nextLong();
                case 3 -> Double.doubleToRawLongBits(2.5 * Math.exp(-i / 2e5) + 0.05 * gauss.nextGaussian());
                case 4 -> Double.doubleToRawLongBits((float) (2.5 * Math.exp(-i / 2e5) + 0.05 * gauss.nextGaussian()));
                case 5 -> Double.doubleToRawLongBits(i * 1e-3);
                case 6 -> Double.doubleToRawLongBits(Math.round(gauss.nextGaussian() * 10000) / 10000.0);
                case 7 -> special(random);
                default -> random.nextInt(8) == 0 ? special(random)
                    : Double.doubleToRawLongBits(Math.round(gauss.nextGaussian() * 100) / 100.0);
            };
        }
        return v;
    }

    static long special(final SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> Double.doubleToRawLongBits(-0.0);
            case 1 -> 0x7FF0000000000001L | random.nextLong() & 0x000FFFFFFFFFFFFFL; // NaN with payload
            case 2 -> 0xFFF8000000000000L | random.nextLong() & 0x0007FFFFFFFFFFFFL; // negative quiet NaN
            case 3 -> Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
            case 4 -> Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);
            case 5 -> random.nextLong() & 0x000FFFFFFFFFFFFFL; // subnormal
            case 6 -> Double.doubleToRawLongBits(Double.MIN_VALUE);
            case 7 -> Double.doubleToRawLongBits(Float.intBitsToFloat(random.nextInt()));
            case 8 -> Long.MIN_VALUE | random.nextLong() & 0x000FFFFFFFFFFFFFL; // negative subnormal
            default -> random.nextLong();
        };
    }

    interface Coder {
        long encode(long[] v, int n, Object base, long offset);

        long decode(Object base, long offset, long limit, int n, long[] out, int at);

        long maxLength(int n);
    }

    static final Coder FRAMES = new Coder() {
        public long encode(final long[] v, final int n, final Object base, final long offset) {
            return FrameColumn.encode(v, 0, n, base, offset);
        }

        public long decode(final Object base, final long offset, final long limit, final int n, final long[] out,
                           final int at) {
            return FrameColumn.decode(base, offset, limit, n, out, at);
        }

        public long maxLength(final int n) {
            return FrameColumn.maxLength(n);
        }
    };

    static final Coder DOUBLES = new Coder() {
        public long encode(final long[] v, final int n, final Object base, final long offset) {
            return DoubleColumn.encode(v, 0, n, DoubleColumn.choose(v, 0, n), new long[n], new long[8], base, offset);
        }

        public long decode(final Object base, final long offset, final long limit, final int n, final long[] out,
                           final int at) {
            return DoubleColumn.decode(base, offset, limit, n, out, at);
        }

        public long maxLength(final int n) {
            return DoubleColumn.maxLength(n);
        }
    };

    static Coder scheme(final int scheme) {
        return new Coder() {
            public long encode(final long[] v, final int n, final Object base, final long offset) {
                final int e = Math.max(0, AlpCoding.chooseExponent(v, 0, n));
                final int choice = scheme | e << 8 | AlpCoding.chooseFactor(v, 0, n, e) << 16;
                return DoubleColumn.encode(v, 0, n, choice, new long[n], new long[8], base, offset);
            }

            public long decode(final Object base, final long offset, final long limit, final int n, final long[] out,
                               final int at) {
                return DoubleColumn.decode(base, offset, limit, n, out, at);
            }

            public long maxLength(final int n) {
                return DoubleColumn.maxLength(n);
            }
        };
    }

    /** Encodes into a byte array and into direct memory, both fenced with canaries; decodes both. */
    static void roundTrip(final Coder coder, final long[] v, final int n, final String what) {
        final int room = (int) coder.maxLength(n);
        final byte[] array = new byte[room + 32];
        java.util.Arrays.fill(array, (byte) 0x5A);
        final long end = coder.encode(v, n, array, VarInt.BYTE_ARRAY_BASE + 8);
        final int length = (int) (end - VarInt.BYTE_ARRAY_BASE - 8);
        assertTrue(length > 0 && length <= room, what + ": length " + length + " within " + room);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 0x5A, array[i], what + ": wrote before the offset");
        }
        for (int i = 8 + length; i < array.length; i++) {
            assertEquals((byte) 0x5A, array[i], what + ": wrote past the end it returned, at " + (i - 8 - length));
        }
        final long[] out = new long[n + 3];
        out[0] = 77;
        out[n + 2] = 99;
        final long got = coder.decode(array, VarInt.BYTE_ARRAY_BASE + 8, end, n, out, 1);
        assertEquals(end, got, what + ": decode ends where encode did (" + CodecStatus.describe(got) + ")");
        for (int i = 0; i < n; i++) {
            if (v[i] != out[i + 1]) {
                fail(what + ": value " + i + " of " + n + " was " + Long.toHexString(v[i]) + ", decoded "
                    + Long.toHexString(out[i + 1]));
            }
        }
        assertEquals(77, out[0], what + ": wrote before at");
        assertEquals(99, out[n + 2], what + ": wrote past at + n");
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        direct.putBytes(0, array, 8, length);
        final long[] again = new long[n];
        final long address = direct.addressOffset();
        assertEquals(address + length, coder.decode(null, address, address + length, n, again, 0), what + " direct");
        for (int i = 0; i < n; i++) {
            assertEquals(v[i], again[i], what + " direct value " + i);
        }
    }

    @Test
    void everyCoderRoundTripsEveryColumnKindAtEveryLength() {
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FrameCodecRoundTripTest.kinds"));
        final int[] lengths = {1, 2, 3, 7, 8, 9, 63, 64, 127, 128, 129, 255, 256, 257, 1000, 4096};
        for (final int n : lengths) {
            for (int kind = 0; kind <= 8; kind++) {
                final long[] v = column(random, n, kind);
                roundTrip(FRAMES, v, n, "frames kind " + kind + " n " + n);
                roundTrip(DOUBLES, v, n, "doubles kind " + kind + " n " + n);
                for (int s = DoubleColumn.FRAMES; s <= DoubleColumn.FLOAT32; s++) {
                    roundTrip(scheme(s), v, n, "scheme " + s + " kind " + kind + " n " + n);
                }
            }
        }
    }

    @Test
    void everyOrderRoundTripsRandomWidths() {
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FrameCodecRoundTripTest.orders"));
        for (int round = 0; round < 300; round++) {
            final int n = 1 + random.nextInt(600);
            final int width = random.nextInt(65);
            final long[] v = new long[n];
            final long base = random.nextLong();
            for (int i = 0; i < n; i++) {
                v[i] = base + (width == 64 ? random.nextLong() : random.nextLong() >>> (64 - Math.max(width, 1)) * (width == 0 ? 0 : 1));
                if (width == 0) {
                    v[i] = base;
                }
            }
            for (int order = 0; order <= Math.min(2, n - 1); order++) {
                final int o = order;
                roundTrip(new Coder() {
                    public long encode(final long[] x, final int m, final Object b, final long offset) {
                        return FrameColumn.encode(x, 0, m, o, b, offset);
                    }

                    public long decode(final Object b, final long offset, final long limit, final int m,
                                       final long[] out, final int at) {
                        return FrameColumn.decode(b, offset, limit, m, out, at);
                    }

                    public long maxLength(final int m) {
                        return FrameColumn.maxLength(m);
                    }
                }, v, n, "order " + order + " width " + width + " n " + n);
            }
        }
    }

    @Test
    void bitPackingRoundTripsEveryWidthAtEveryCount() {
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FrameCodecRoundTripTest.widths"));
        for (int width = 0; width <= 64; width++) {
            for (int n = 0; n <= 130; n++) {
                final long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = width == 0 ? 0 : random.nextLong() >>> (64 - width);
                }
                final byte[] b = new byte[(int) BitPacking.packedBytes(n, width) + 16];
                java.util.Arrays.fill(b, (byte) -1);
                final long end = BitPacking.pack(v, 0, n, width, 0, b, VarInt.BYTE_ARRAY_BASE);
                assertEquals(BitPacking.packedBytes(n, width), end - VarInt.BYTE_ARRAY_BASE);
                for (int i = (int) (end - VarInt.BYTE_ARRAY_BASE); i < b.length; i++) {
                    assertEquals((byte) -1, b[i], "width " + width + " n " + n + ": wrote past the packed bytes");
                }
                final long[] out = new long[n];
                assertEquals(end, BitPacking.unpack(b, VarInt.BYTE_ARRAY_BASE, end, n, width, 0, out, 0));
                assertArrayEquals(v, out, "width " + width + " n " + n);
            }
        }
    }
}
