package io.runlog.bench;

import io.runlog.sample.Lttb;
import io.runlog.sample.MinMaxLttb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How much MinMaxLTTB's selection differs from LTTB's, on real curves (the CSV files of a
 * directory, header {@code metric,step,value[,timestamp]}, x = step) and on synthetic long
 * curves. Per series and maximum it prints, for LTTB and MinMaxLTTB: the share of MinMaxLTTB's
 * indices that LTTB also selected, and the error of the sampled line (linear interpolation
 * between selected points, evaluated at every raw point) as mean and max absolute error in percent
 * of the series' value range, and whether the global minimum and maximum were kept.
 *
 * <pre>java -jar runlog-benchmarks.jar SamplingQuality [--curves DIR]</pre>
 */
public final class SamplingQuality {
    private static final int[] CURVE_MAXES = {15_000, 2_000, 500};

    private SamplingQuality() {
    }

    public static void main(final String[] args) throws IOException {
        Path curves = null;
        for (int i = 0; i < args.length; i++) {
            if ("--curves".equals(args[i]) && i + 1 < args.length) {
                curves = Path.of(args[++i]);
            } else {
                System.err.println("usage: SamplingQuality [--curves DIR]");
                System.exit(2);
            }
        }
        System.out.println("| series | points | max | same indices | LTTB mean / max error | MinMaxLTTB mean / max error"
            + " | min, max kept (LTTB / MinMax) |");
        System.out.println("|---|---:|---:|---:|---|---|---|");
        if (curves != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(curves, "*.csv")) {
                final List<Path> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(Comparator.naturalOrder());
                for (final Path file : sorted) {
                    for (final Map.Entry<String, double[][]> e : readCurves(file).entrySet()) {
                        for (final int max : CURVE_MAXES) {
                            report(file.getFileName() + " " + e.getKey(), e.getValue()[0], e.getValue()[1], max);
                        }
                    }
                }
            }
        }
        final SplittableRandom r = new SplittableRandom(42);
        for (final int n : new int[] {1_000_000, 10_000_000}) {
            final double[] x = new double[n];
            final double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = 2.5 * Math.exp(-i / (n / 5.0)) + 0.05 * r.nextGaussian() + (r.nextInt(100_000) == 0 ? 3 : 0);
            }
            report("synthetic loss (decay + noise + spikes)", x, y, 15_000);
            double walk = 0;
            for (int i = 0; i < n; i++) {
                y[i] = walk += r.nextGaussian();
            }
            report("synthetic random walk", x, y, 15_000);
        }
    }

    /** metric name -> {x, y} sorted by step (stable). */
    private static Map<String, double[][]> readCurves(final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file);
        final List<String> header = Arrays.asList(lines.get(0).split(","));
        final int metricAt = header.indexOf("metric");
        final int stepAt = header.indexOf("step");
        final int valueAt = header.indexOf("value");
        final Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (final String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            final String[] f = line.split(",", -1);
            points.computeIfAbsent(f[metricAt], k -> new ArrayList<>())
                .add(new double[] {Long.parseLong(f[stepAt].strip()), Double.parseDouble(f[valueAt].strip())});
        }
        final Map<String, double[][]> out = new LinkedHashMap<>();
        for (final Map.Entry<String, List<double[]>> e : points.entrySet()) {
            final List<double[]> p = e.getValue();
            p.sort(Comparator.comparingDouble(a -> a[0])); // List.sort is stable
            final double[][] xy = new double[2][p.size()];
            for (int i = 0; i < p.size(); i++) {
                xy[0][i] = p.get(i)[0];
                xy[1][i] = p.get(i)[1];
            }
            out.put(e.getKey(), xy);
        }
        return out;
    }

    private static void report(final String name, final double[] x, final double[] y, final int max) {
        final int n = x.length;
        final int[] lttb = new int[Math.min(n, max)];
        final int[] minMax = new int[Math.min(n, max)];
        final int a = Lttb.select(x, y, 0, n, max, lttb);
        final int b = new MinMaxLttb().select(x, y, 0, n, max, minMax);
        int same = 0;
        for (int i = 0, j = 0; i < a && j < b; ) {
            if (lttb[i] == minMax[j]) {
                same++;
                i++;
                j++;
            } else if (lttb[i] < minMax[j]) {
                i++;
            } else {
                j++;
            }
        }
        int minAt = 0;
        int maxAt = 0;
        for (int i = 1; i < n; i++) {
            minAt = y[i] < y[minAt] ? i : minAt;
            maxAt = y[i] > y[maxAt] ? i : maxAt;
        }
        final double range = y[maxAt] - y[minAt];
        final double[] el = error(x, y, lttb, a, range);
        final double[] em = error(x, y, minMax, b, range);
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f%% | %.3f%% / %.1f%% | %.3f%% / %.1f%% | %s / %s |%n",
            name, n, max, 100.0 * same / b, el[0], el[1], em[0], em[1],
            kept(lttb, a, minAt, maxAt), kept(minMax, b, minAt, maxAt));
    }

    private static String kept(final int[] sel, final int count, final int minAt, final int maxAt) {
        final boolean min = Arrays.binarySearch(sel, 0, count, minAt) >= 0;
        final boolean max = Arrays.binarySearch(sel, 0, count, maxAt) >= 0;
        return (min ? "yes" : "no") + ", " + (max ? "yes" : "no");
    }

    /** {mean, max} absolute error of the sampled line at every raw point, in percent of the range. */
    private static double[] error(final double[] x, final double[] y, final int[] sel, final int count,
                                  final double range) {
        double sum = 0;
        double worst = 0;
        for (int k = 0; k + 1 < count; k++) {
            final int p = sel[k];
            final int q = sel[k + 1];
            for (int i = p; i < q; i++) {
                final double line = x[q] == x[p] ? y[p] : y[p] + (y[q] - y[p]) * (x[i] - x[p]) / (x[q] - x[p]);
                final double err = Math.abs(y[i] - line);
                sum += err;
                worst = Math.max(worst, err);
            }
        }
        final double scale = range == 0 ? 1 : range;
        return new double[] {100 * sum / x.length / scale, 100 * worst / scale};
    }
}
