package io.runlog.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The points every store of {@link EmbeddedStores} writes, in arrival order, as a training loop
 * logs them: for point {@code i}, its metric index, step, timestamp (epoch milliseconds) and the
 * raw bits of its double value. Every store gets exactly these arrays, and every store's read-back
 * is compared with {@link #expected(int)} bit for bit.
 *
 * <p>Two sources:
 * <ul>
 *   <li>{@link #noisy(long, int, long)}: {@code metrics} metrics logged round-robin, step
 *       {@code i / metrics}, timestamp {@code BASE_TS + step}, value
 *       {@code 2.5 * exp(-step / 2e5) + 0.05 * N(0,1)} from a seeded {@link Random}; every other
 *       metric (odd indices) narrowed to float32 ({@code (double) (float) v}), as a harness logs a
 *       float32 tensor's {@code item()}.</li>
 *   <li>{@link #curves(Path)}: a CSV of {@code ../shared/data/curves} ({@code metric,step,value,timestamp}),
 *       in file order (already interleaved as logged); values parsed from their decimal text;
 *       timestamps in seconds become milliseconds, missing ones {@code BASE_TS + 100 * step}.</li>
 * </ul>
 */
final class PeerWorkload {
    final String name;
    final String[] metricNames;
    final int[] metric;
    final long[] step;
    final long[] timestamp;
    final long[] bits;
    /** The metric whose read is timed: a float64 one (the largest such). */
    final int readMetric;
    private final int[] counts;

    private PeerWorkload(final String name, final String[] metricNames, final int[] metric, final long[] step,
                         final long[] timestamp, final long[] bits, final int readMetric) {
        this.name = name;
        this.metricNames = metricNames;
        this.metric = metric;
        this.step = step;
        this.timestamp = timestamp;
        this.bits = bits;
        this.readMetric = readMetric;
        this.counts = new int[metricNames.length];
        for (final int id : metric) {
            counts[id]++;
        }
    }

    int size() {
        return metric.length;
    }

    /**
     * How many points metric {@code m} has: the peers' readers size their result arrays with it
     * (a caller would not know it; this spares the peers any regrowing, in their favour).
     */
    int count(final int m) {
        return counts[m];
    }

    /** The synthetic workload of issue 15 (metric 0, float64, is the one read). */
    static PeerWorkload noisy(final long points, final int metrics, final long seed) {
        if (points <= 0 || points > Integer.MAX_VALUE - 8 || metrics <= 0) {
            throw new IllegalArgumentException("points must be in 1.." + (Integer.MAX_VALUE - 8) + " and metrics > 0");
        }
        final int n = (int) points;
        final String[] names = new String[metrics];
        for (int m = 0; m < metrics; m++) {
            names[m] = "metric-" + m;
        }
        final int[] metric = new int[n];
        final long[] step = new long[n];
        final long[] ts = new long[n];
        final long[] bits = new long[n];
        final Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            final int m = i % metrics;
            final long s = i / metrics;
            double v = 2.5 * Math.exp(-s / 2e5) + 0.05 * random.nextGaussian();
            if ((m & 1) == 1) {
                v = (float) v;
            }
            metric[i] = m;
            step[i] = s;
            ts[i] = HotPathBenchmark.BASE_TS + s;
            bits[i] = Double.doubleToRawLongBits(v);
        }
        return new PeerWorkload("noisy-" + points + "x" + metrics, names, metric, step, ts, bits, 0);
    }

    /** One real-curves CSV; the timed read is its largest metric. */
    static PeerWorkload curves(final Path csv) {
        final Map<String, Integer> ids = new LinkedHashMap<>();
        int n = 0;
        int[] metric = new int[1 << 16];
        long[] step = new long[1 << 16];
        long[] ts = new long[1 << 16];
        long[] bits = new long[1 << 16];
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            final String header = in.readLine();
            if (header == null || !header.trim().equals("metric,step,value,timestamp")) {
                throw new IllegalArgumentException(csv + ": header is not metric,step,value,timestamp but " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                final String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": expected 4 fields, got " + f.length);
                }
                if (n == metric.length) {
                    metric = Arrays.copyOf(metric, n * 2);
                    step = Arrays.copyOf(step, n * 2);
                    ts = Arrays.copyOf(ts, n * 2);
                    bits = Arrays.copyOf(bits, n * 2);
                }
                metric[n] = ids.computeIfAbsent(f[0], k -> ids.size());
                step[n] = Long.parseLong(f[1]);
                bits[n] = Double.doubleToRawLongBits(Double.parseDouble(f[2]));
                ts[n] = f[3].isEmpty() ? HotPathBenchmark.BASE_TS + 100 * step[n]
                    : Math.round(Double.parseDouble(f[3]) * 1000.0);
                n++;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        final String[] names = ids.keySet().toArray(new String[0]);
        final int[] counts = new int[names.length];
        for (int i = 0; i < n; i++) {
            counts[metric[i]]++;
        }
        int largest = 0;
        for (int m = 1; m < counts.length; m++) {
            if (counts[m] > counts[largest]) {
                largest = m;
            }
        }
        final String file = csv.getFileName().toString();
        return new PeerWorkload(file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file, names,
            Arrays.copyOf(metric, n), Arrays.copyOf(step, n), Arrays.copyOf(ts, n),
            Arrays.copyOf(bits, n), largest);
    }

    /** The first {@code n} points (the warm-up ingest of a run). */
    PeerWorkload head(final int n) {
        final int k = Math.min(n, size());
        return new PeerWorkload(name + "-head" + k, metricNames, Arrays.copyOf(metric, k), Arrays.copyOf(step, k),
            Arrays.copyOf(timestamp, k), Arrays.copyOf(bits, k), readMetric);
    }

    /** What a store must return for metric {@code m}: its points in arrival order. */
    Columns expected(final int m) {
        final Columns c = new Columns(counts[m]);
        int k = 0;
        for (int i = 0; i < metric.length; i++) {
            if (metric[i] == m) {
                c.steps[k] = step[i];
                c.timestamps[k] = timestamp[i];
                c.bits[k] = bits[i];
                k++;
            }
        }
        return c;
    }

    /** One metric's points as a store returned them. */
    static final class Columns {
        final long[] steps;
        final long[] timestamps;
        final long[] bits;
        private final int size;

        Columns(final int n) {
            this(new long[n], new long[n], new long[n], n);
        }

        /** Arrays at least {@code size} long (a store may hand out larger backing arrays). */
        Columns(final long[] steps, final long[] timestamps, final long[] bits, final int size) {
            if (steps.length < size || timestamps.length < size || bits.length < size) {
                throw new IllegalArgumentException("arrays shorter than " + size);
            }
            this.steps = steps;
            this.timestamps = timestamps;
            this.bits = bits;
            this.size = size;
        }

        int size() {
            return size;
        }

        /** Null when equal, else what differs first (bit for bit). */
        String differenceFrom(final Columns expected) {
            if (size() != expected.size()) {
                return "read " + size() + " points, expected " + expected.size();
            }
            for (int i = 0; i < size(); i++) {
                if (steps[i] != expected.steps[i] || timestamps[i] != expected.timestamps[i]
                    || bits[i] != expected.bits[i]) {
                    return "point " + i + ": read (" + steps[i] + ", " + timestamps[i] + ", 0x"
                        + Long.toHexString(bits[i]) + "), expected (" + expected.steps[i] + ", "
                        + expected.timestamps[i] + ", 0x" + Long.toHexString(expected.bits[i]) + ")";
                }
            }
            return null;
        }
    }
}
