package io.runlog.archive;

import io.runlog.codec.ValueMode;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property tests of the column coders: every double bit pattern (NaN payloads, -0.0, subnormals,
 * infinities, float32-widened values, short decimals, noise) and every long (wrapping
 * differences) comes back exactly. The seed is printed; fix it with -Drunlog.test.seed=N.
 */
class ValueCodingTest {
    private static final long[] SPECIAL = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff0000000000001L, 0x7ff4000000000000L, 0xfff8000000000000L,
        0xffffffffffffffffL, 0x7fffffffffffffffL, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(-0.0), 0L, 1L,
        0x000fffffffffffffL, 0x8000000000000001L, Double.doubleToRawLongBits(Double.MIN_NORMAL),
        Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(-Double.MAX_VALUE),
        Double.doubleToRawLongBits(9.223372036854776E18), Double.doubleToRawLongBits(-9.223372036854776E18),
        Double.doubleToRawLongBits(1e300), Double.doubleToRawLongBits(0.1 + 0.2),
    };

    private static long seed() {
        return Long.getLong("runlog.test.seed", System.nanoTime());
    }

    @Test
    void shouldRoundTripEveryKindOfValueColumnExactly() {
        final long seed = seed();
        System.out.println("ValueCodingTest.values seed=" + seed);
        final SplittableRandom r = new SplittableRandom(seed);
        final ValueColumn.Scratch enc = new ValueColumn.Scratch(ArchiveLayout.MAX_POINTS_PER_BLOCK);
        final ValueColumn.Scratch dec = new ValueColumn.Scratch(ArchiveLayout.MAX_POINTS_PER_BLOCK);
        final long[] bits = new long[ArchiveLayout.MAX_POINTS_PER_BLOCK];
        final long[] out = new long[ArchiveLayout.MAX_POINTS_PER_BLOCK];
        final ByteSink sink = new ByteSink(1 << 20);
        for (int round = 0; round < 400; round++) {
            final int n = round % 10 == 0 ? 1 + r.nextInt(ArchiveLayout.MAX_POINTS_PER_BLOCK) : 1 + r.nextInt(600);
            final int kind = round % 8;
            final int decimals = r.nextInt(10);
            double walk = r.nextDouble(-100, 100);
            for (int i = 0; i < n; i++) {
                walk += r.nextGaussian() * 0.01;
                bits[i] = switch (r.nextInt(20) == 0 ? 99 : kind) {
                    case 0 -> Double.doubleToRawLongBits(Math.round(walk * Math.pow(10, decimals)) / Math.pow(10, decimals));
                    case 1 -> Double.doubleToRawLongBits((float) walk);
                    case 2 -> Double.doubleToRawLongBits(Float.parseFloat(Float.toString((float) (Math.round(walk * 1000)
                        / 1000.0))));
                    case 3 -> r.nextLong();
                    case 4 -> random754(r);
                    case 5 -> Double.doubleToRawLongBits(i * 1e-3);
                    case 6 -> Double.doubleToRawLongBits(r.nextInt(1000));
                    default -> SPECIAL[r.nextInt(SPECIAL.length)];
                };
            }
            sink.reset();
            ValueColumn.encode(bits, n, sink, enc);
            final ByteSource in = new ByteSource(sink.array(), 0, sink.size());
            ValueColumn.decode(in, n, out, dec, "values");
            assertEquals(sink.size(), in.position(), "decoder consumed what the encoder wrote (seed " + seed + ")");
            for (int i = 0; i < n; i++) {
                if (out[i] != bits[i]) {
                    fail("round " + round + " kind " + kind + " value " + i + ": " + Long.toHexString(bits[i]) + " came back as "
                        + Long.toHexString(out[i]) + " (seed " + seed + ")");
                }
            }
        }
    }

    private static long random754(final SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextLong() | 0x7ff0000000000000L;
            case 1 -> r.nextLong() & 0x800fffffffffffffL;
            default -> SPECIAL[r.nextInt(SPECIAL.length)];
        };
    }

    @Test
    void shouldRoundTripEveryIntegerColumnExactlyIncludingWrappingDifferences() {
        final long seed = seed();
        System.out.println("ValueCodingTest.integers seed=" + seed);
        final SplittableRandom r = new SplittableRandom(seed);
        final long[] v = new long[5000];
        final long[] out = new long[5000];
        final long[] frame = new long[IntColumn.FRAME];
        final ByteSink sink = new ByteSink(1 << 16);
        for (int round = 0; round < 500; round++) {
            final int n = 1 + r.nextInt(v.length);
            long x = r.nextLong();
            for (int i = 0; i < n; i++) {
                x = switch (round % 5) {
                    case 0 -> x + 1;
                    case 1 -> x + r.nextInt(100);
                    case 2 -> r.nextLong();
                    case 3 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                    default -> x + r.nextInt(3) - 1;
                };
                v[i] = x;
            }
            for (int order = 0; order <= Math.min(2, n - 1); order++) {
                sink.reset();
                IntColumn.encode(v, n, order, sink, frame);
                final ByteSource in = new ByteSource(sink.array(), 0, sink.size());
                IntColumn.decode(in, n, out, "ints");
                assertEquals(sink.size(), in.position());
                for (int i = 0; i < n; i++) {
                    assertEquals(v[i], out[i], "round " + round + " order " + order + " index " + i + " (seed " + seed + ")");
                }
            }
        }
    }

    @Test
    void shouldCodeShortDecimalsInAFewBitsAndRandomBitsRaw() {
        final ValueColumn.Scratch s = new ValueColumn.Scratch(4096);
        final long[] bits = new long[4096];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(Math.round(600 - i * 0.1) / 1e6); // a 6-decimal schedule
        }
        final ByteSink sink = new ByteSink(1 << 16);
        ValueColumn.encode(bits, bits.length, sink, s);
        assertEquals(ValueMode.ARCHIVE_DECIMAL, sink.array()[0]);
        if (sink.size() > bits.length / 4) {
            fail("a 6-decimal schedule took " + sink.size() + " bytes for " + bits.length + " values");
        }
        final SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < bits.length; i++) {
            bits[i] = r.nextLong();
        }
        sink.reset();
        ValueColumn.encode(bits, bits.length, sink, s);
        assertEquals(ValueMode.ARCHIVE_RAW, sink.array()[0]);
        assertEquals(1 + 8 * bits.length, sink.size());
    }

    @Test
    void shouldCodeASmoothFullPrecisionScheduleAsBitDifferences() {
        final ValueColumn.Scratch s = new ValueColumn.Scratch(4096);
        final long[] bits = new long[4096];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(6e-4 * Math.cos(i * 1.5 / 100_000)); // no decimal form
        }
        final ByteSink sink = new ByteSink(1 << 16);
        ValueColumn.encode(bits, bits.length, sink, s);
        assertEquals(ValueMode.ARCHIVE_BITS, sink.array()[0]);
        if (sink.size() > 4 * bits.length) {
            fail("a smooth double schedule took " + sink.size() + " bytes for " + bits.length + " values");
        }
    }
}
