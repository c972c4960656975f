package io.runlog.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link CodecBenchmark}'s encode and decode on a loaded machine: every applicable
 * (kind, codec) pair in one JVM, warmed up, then timed in alternating rounds (each round codes
 * every pair's column 200 times), reporting per pair the minimum and the median ns/value over
 * the rounds. The minimum is what the code costs when the other tenants leave the core alone;
 * pairs are measured interleaved, so a ratio of two is taken under the same load.
 * {@code java -cp runlog-benchmarks.jar <jvm flags> io.runlog.bench.CodecMinTimer [rounds]}.
 */
public final class CodecMinTimer {
    private CodecMinTimer() {
    }

    public static void main(final String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        final String[][] pairs = {
            {"steps", "varint"}, {"steps", "frames"}, {"timestamps", "varint"}, {"timestamps", "frames"},
            {"noisy64", "varint"}, {"noisy64", "xor"}, {"noisy64", "frames"}, {"noisy64", "alprd"},
            {"noisy32", "varint"}, {"noisy32", "frames"}, {"smooth", "varint"}, {"smooth", "frames"},
            {"gpt2_train_loss", "decimal"}, {"gpt2_train_loss", "alp"}, {"gpt2_lr", "decimal"}, {"gpt2_lr", "alp"},
            {"gpt2_grad_norm", "decimal"}, {"gpt2_grad_norm", "alp"},
            {"rl_episode_reward", "decimal"}, {"rl_episode_reward", "alp"},
        };
        final List<CodecBenchmark> benches = new ArrayList<>();
        for (final String[] p : pairs) {
            final CodecBenchmark b = new CodecBenchmark();
            b.kind = p[0];
            b.codec = p[1];
            b.setUp();
            benches.add(b);
        }
        final int reps = 200;
        final double[][] enc = new double[benches.size()][rounds];
        final double[][] dec = new double[benches.size()][rounds];
        long sink = 0;
        for (int warm = 0; warm < 30; warm++) {
            for (final CodecBenchmark b : benches) {
                for (int r = 0; r < reps; r++) {
                    sink += b.encode() + b.decode();
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < benches.size(); k++) {
                final CodecBenchmark b = benches.get(k);
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    sink += b.encode();
                }
                long t1 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    sink += b.decode();
                }
                final long t2 = System.nanoTime();
                enc[k][round] = (double) (t1 - t0) / reps / CodecBenchmark.COUNT;
                dec[k][round] = (double) (t2 - t1) / reps / CodecBenchmark.COUNT;
            }
        }
        System.out.println("| kind | codec | B/value | encode min | encode median | decode min | decode median |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (int k = 0; k < benches.size(); k++) {
            java.util.Arrays.sort(enc[k]);
            java.util.Arrays.sort(dec[k]);
            System.out.printf("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", pairs[k][0], pairs[k][1],
                benches.get(k).bytesPerValue(), enc[k][0], enc[k][rounds / 2], dec[k][0], dec[k][rounds / 2]);
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }
}
