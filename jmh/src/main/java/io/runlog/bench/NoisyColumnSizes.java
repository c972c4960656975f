package io.runlog.bench;

import io.runlog.codec.BitsCoding;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;

import java.util.Locale;

/**
 * Bytes a value of the {@link EmbeddedStores} noisy workload takes in each journal value coding,
 * with today's codec functions, against fixed-width bit-packing of frames of 128 first
 * differences (each frame as wide as its widest zigzag difference, headers not counted): the
 * measurement behind "what the coding needs" in {@code docs/BENCHMARKS.md}. Per metric, over the
 * whole metric as one run.
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar NoisyColumnSizes [--points 5000000] [--metrics 10] [--seed 42]
 * </pre>
 */
public final class NoisyColumnSizes {
    static final int FRAME = 128;

    private NoisyColumnSizes() {
    }

    public static void main(final String[] args) {
        long points = 5_000_000;
        int metrics = 10;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--points" -> points = Long.parseLong(args[++i].replace("_", ""));
                case "--metrics" -> metrics = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: NoisyColumnSizes [--points N] [--metrics M] [--seed S]");
                    System.exit(2);
                }
            }
        }
        final PeerWorkload w = PeerWorkload.noisy(points, metrics, seed);
        for (int m = 0; m < Math.min(2, metrics); m++) {
            final long[] bits = w.expected(m).bits;
            final int n = bits.length;
            final boolean float32 = Float32Coding.floatBits(bits[0]) != Float32Coding.NOT_FLOAT;
            long xor = 0;
            long bitsMode = 0;
            long f32 = 0;
            long packed = 0;
            long frameWidth = 0;
            long previous = 0;
            long previousDifference = 0;
            int previousFloat = 0;
            for (int i = 0; i < n; i++) {
                xor += XorCoding.length(bits[i] ^ previous);
                bitsMode += VarInt.length(BitsCoding.code(bits[i], previous, previousDifference));
                final long z;
                if (float32) {
                    final int f = (int) Float32Coding.floatBits(bits[i]);
                    z = Float32Coding.code(f, previousFloat);
                    f32 += VarInt.length(z);
                    previousFloat = f;
                } else {
                    z = VarInt.zigzag(bits[i] - previous);
                }
                frameWidth = Math.max(frameWidth, 64 - Long.numberOfLeadingZeros(z));
                if (i % FRAME == FRAME - 1 || i == n - 1) {
                    packed += frameWidth * (i % FRAME + 1);
                    frameWidth = 0;
                }
                previousDifference = bits[i] - previous;
                previous = bits[i];
            }
            System.out.printf(Locale.ROOT, "%s (%s, %,d values): XOR %.2f B, BITS %.2f B%s, frames of %d bit-packed "
                    + "(%s differences): %.2f B a value%n", w.metricNames[m], float32 ? "float32" : "float64", n,
                xor / (double) n, bitsMode / (double) n,
                float32 ? String.format(Locale.ROOT, ", FLOAT32 %.2f B", f32 / (double) n) : "", FRAME,
                float32 ? "32-bit" : "64-bit", packed / 8.0 / n);
        }
    }
}
