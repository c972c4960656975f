package io.runlog.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown report of {@link EmbeddedStores}: per workload and mode, medians over rounds, ratios to QuestDB. */
final class EmbeddedStoresReport {
    private EmbeddedStoresReport() {
    }

    static String markdown(final List<Map<String, String>> rows, final List<String> stores, final int rounds,
                           final String load0, final String load1, final double minutes, final String args) {
        final StringBuilder sb = new StringBuilder();
        sb.append("# Runlog against the embedded stores\n\n");
        sb.append(String.format(Locale.ROOT, "Command: `java -jar target/jmh/runlog-benchmarks.jar EmbeddedStores %s`%n%n",
            args));
        sb.append(String.format(Locale.ROOT, "%s; %d logical cores; %s; load average at start %s, at end %s; "
                + "%d rounds, medians; %.1f minutes.%n%n", BenchReport.machine(),
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"), load0, load1, rounds, minutes));
        sb.append("Each cell: median (ratio to QuestDB `TableWriter`; ingest and read: higher is better, "
            + "the rest: lower is better). CPU is all the process's threads during the ingest, "
            + "from `/proc/self/stat`, after a warm-up ingest of a fifth of the workload in the same JVM; `of which JIT` "
            + "is the C1/C2 compiler threads' part of it; `ingest thread` is the logging thread alone (ThreadMXBean). "
            + "Read: median of the timed reads of one metric into new arrays, after 5 untimed ones; read CPU: the reading thread's. Reopen: the first and the median of "
            + "5 times open + one query (Runlog: `metrics()`; the others: the metric's first point) + close.\n\n");
        final Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
        for (final Map<String, String> r : rows) {
            groups.computeIfAbsent(r.get("workload") + "|" + r.get("durable_every"), k -> new ArrayList<>()).add(r);
        }
        for (final Map.Entry<String, List<Map<String, String>>> g : groups.entrySet()) {
            final String[] key = g.getKey().split("\\|");
            final int durable = Integer.parseInt(key[1]);
            final List<Map<String, String>> group = g.getValue();
            sb.append("## ").append(key[0]).append(", ").append(group.get(0).get("points")).append(" points, ")
                .append(durable == 0 ? "each store's own acknowledgement"
                    : "durable (OS crash) every " + durable + " points")
                .append("\n\n");
            sb.append("| store | ingest (M points/s) | CPU, all threads (ns/point) | of which JIT (ns/point) | ingest thread (ns/point) "
                + "| disk (B/point) | read one metric of ").append(readPoints(group))
                .append(" (M points/s) | read CPU (ns/point) | reopen, first (ms) | reopen, median (ms) | acknowledgement |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            final Map<String, Double> base = medians(group, EmbeddedStores.BASELINE);
            for (final String store : stores) {
                final Map<String, Double> m = medians(group, store);
                if (m == null) {
                    continue;
                }
                final PeerStore s = EmbeddedStoresRun.store(store);
                sb.append("| ").append(s.label())
                    .append(" | ").append(cell(m, base, "ingest_mpps", true))
                    .append(" | ").append(cell(m, base, "cpu_ns_per_point", false))
                    .append(" | ").append(cell(m, base, "jit_cpu_ns_per_point", false))
                    .append(" | ").append(cell(m, base, "ingest_thread_cpu_ns_per_point", false))
                    .append(" | ").append(cell(m, base, "disk_bytes_per_point", false))
                    .append(" | ").append(cell(m, base, "read_mpps", true))
                    .append(" | ").append(cell(m, base, "read_cpu_ns_per_point", false))
                    .append(" | ").append(cell(m, base, "reopen_first_ms", false))
                    .append(" | ").append(cell(m, base, "reopen_ms", false))
                    .append(" | ").append(s.acknowledgement(durable)).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append("Every run read every metric back and compared it with what was written, bit for bit "
            + "(steps, timestamps, value bits); a mismatch fails the run.\n");
        return sb.toString();
    }

    private static String readPoints(final List<Map<String, String>> group) {
        return String.format(Locale.ROOT, "%,d", Long.parseLong(group.get(0).get("read_points")));
    }

    private static Map<String, Double> medians(final List<Map<String, String>> group, final String store) {
        final List<Map<String, String>> mine = new ArrayList<>();
        for (final Map<String, String> r : group) {
            if (r.get("store").equals(store)) {
                mine.add(r);
            }
        }
        if (mine.isEmpty()) {
            return null;
        }
        final Map<String, Double> out = new LinkedHashMap<>();
        for (final String axis : List.of("ingest_mpps", "cpu_ns_per_point", "jit_cpu_ns_per_point",
            "ingest_thread_cpu_ns_per_point",
            "disk_bytes_per_point", "read_mpps", "read_cpu_ns_per_point", "reopen_first_ms", "reopen_ms")) {
            final double[] v = mine.stream().mapToDouble(r -> Double.parseDouble(r.get(axis))).toArray();
            Arrays.sort(v);
            out.put(axis, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return out;
    }

    /** The median and its ratio to the baseline's (value over baseline, whichever way is better). */
    private static String cell(final Map<String, Double> m, final Map<String, Double> base, final String axis,
                               final boolean higherIsBetter) {
        final double v = m.get(axis);
        final String value = v >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
            : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        if (base == null || base.get(axis) == 0) {
            return value;
        }
        final double ratio = v / base.get(axis);
        return value + String.format(Locale.ROOT, " (%.2fx)", ratio);
    }
}
