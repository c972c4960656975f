package io.runlog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runlog against the embedded stores a user would otherwise pick (issue 15): QuestDB embedded
 * ({@code TableWriter}, also with an indexed metric symbol, and a WAL table through {@code WalWriter}),
 * RocksDB JNI and SQLite JDBC, on
 * the same points, each store in JVMs of its own ({@link EmbeddedStoresRun}), rounds alternating
 * the stores, medians over the rounds, every point read back and compared bit for bit.
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar EmbeddedStores [--points 5000000] [--metrics 10] [--seed 42]
 *      [--rounds 3] [--stores runlog,runlog-producer,questdb,questdb-index,questdb-wal,rocksdb,sqlite]
 *      [--curves DIR] [--durable 1000,10000] [--durable-points 1000000] [--reads 10]
 *      [--csv FILE] [--md FILE] [--profile DIR]
 * </pre>
 *
 * <p>Default mode: each store acknowledges at its own granularity (Runlog every point, QuestDB a
 * commit of 10,000 rows, RocksDB a batch of 1,000, SQLite a transaction of 1,000), none of them
 * fsyncs: every acknowledgement survives kill -9, none an OS crash. {@code --durable N,...} adds the
 * equal-granularity mode on the noisy workload ({@code --durable-points} points): every store makes
 * every N points durable against an OS crash (Runlog {@code sync()}, QuestDB {@code CommitMode.SYNC},
 * RocksDB {@code WriteOptions.sync}, SQLite {@code synchronous=FULL}). {@code --profile DIR} runs each
 * store once on the noisy workload under async-profiler instead and writes collapsed stacks of the
 * ingest and of the reads, and {@link ProfileBreakdown} tables of them.
 */
public final class EmbeddedStores {
    static final String BASELINE = "questdb";

    private EmbeddedStores() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            EmbeddedStoresRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("--report")) {
            report(args);
            return;
        }
        long points = 5_000_000;
        int metrics = 10;
        long seed = 42;
        int rounds = 3;
        int reads = 10;
        long durablePoints = 1_000_000;
        List<String> stores = List.of("runlog", "runlog-producer", "questdb", "questdb-index", "questdb-wal", "rocksdb",
            "sqlite");
        final List<Integer> durable = new ArrayList<>();
        Path curves = Path.of("../shared/data/curves");
        Path csv = Path.of("target/benchmarks/embedded-stores.csv");
        Path md = Path.of("target/benchmarks/embedded-stores.md");
        Path profile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--points" -> points = Long.parseLong(args[++i].replace("_", ""));
                case "--metrics" -> metrics = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--reads" -> reads = Integer.parseInt(args[++i]);
                case "--stores" -> stores = List.of(args[++i].split(","));
                case "--curves" -> curves = Path.of(args[++i]);
                case "--no-curves" -> curves = null;
                case "--durable" -> Arrays.stream(args[++i].split(",")).map(s -> Integer.parseInt(s.replace("_", "")))
                    .forEach(durable::add);
                case "--durable-points" -> durablePoints = Long.parseLong(args[++i].replace("_", ""));
                case "--csv" -> csv = Path.of(args[++i]);
                case "--md" -> md = Path.of(args[++i]);
                case "--profile" -> profile = Path.of(args[++i]);
                default -> {
                    System.err.println("EmbeddedStores: unknown option " + args[i] + " (see the class javadoc)");
                    System.exit(2);
                }
            }
        }
        stores.forEach(EmbeddedStoresRun::store); // fail fast on a misspelt store
        final String noisy = "noisy:" + points + ":" + metrics + ":" + seed;
        if (profile != null) {
            Files.createDirectories(profile);
            for (final String store : stores) {
                final Path prefix = profile.toAbsolutePath().resolve(store);
                final String line = runChild(store, noisy, 0, reads, prefix.toString());
                Files.writeString(profile.resolve(store + ".result"), line + "\n", StandardCharsets.UTF_8);
            }
            ProfileBreakdown.main(new String[] {profile.toString()});
            return;
        }
        final List<String> workloads = new ArrayList<>();
        workloads.add(noisy);
        if (curves != null) {
            if (Files.isDirectory(curves)) {
                try (var files = Files.list(curves)) {
                    files.filter(f -> f.toString().endsWith(".csv")).sorted()
                        .forEach(f -> workloads.add("curves:" + f.toAbsolutePath()));
                }
            } else {
                System.err.println("EmbeddedStores: no curves directory " + curves + " (--curves DIR or --no-curves)");
            }
        }
        final String load0 = loadAverage();
        final long start = System.nanoTime();
        final List<Map<String, String>> results = new ArrayList<>();
        final String durableSpec = "noisy:" + durablePoints + ":" + metrics + ":" + seed;
        for (int round = 0; round < rounds; round++) {
            final List<String> order = rotate(stores, round);
            for (final String workload : workloads) {
                for (final String store : order) {
                    results.add(parse(runChild(store, workload, 0, reads, null), round));
                }
            }
            for (final int n : durable) {
                for (final String store : order) {
                    results.add(parse(runChild(store, durableSpec, n, reads, null), round));
                }
            }
        }
        final String load1 = loadAverage();
        final double minutes = (System.nanoTime() - start) / 6e10;
        writeCsv(csv, results);
        final String report = EmbeddedStoresReport.markdown(results, stores, rounds, load0, load1, minutes,
            String.join(" ", args));
        Files.createDirectories(md.toAbsolutePath().getParent());
        Files.writeString(md, report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println("CSV: " + csv + "   Markdown: " + md);
    }

    /**
     * {@code --report CSV MD ROUNDS "LOAD0" "LOAD1" MINUTES "ARGS"}: the Markdown again from a run's CSV
     * (after a change to the report's layout; the numbers are the CSV's).
     */
    static void report(final String[] args) throws IOException {
        final List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        final String[] header = lines.get(0).split(",");
        final List<Map<String, String>> rows = new ArrayList<>();
        final List<String> stores = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",");
            final Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                m.put(header[i], f[i]);
            }
            rows.add(m);
            if (!stores.contains(m.get("store"))) {
                stores.add(m.get("store"));
            }
        }
        final List<String> order = new ArrayList<>();
        for (final String s : List.of("runlog", "runlog-producer", "questdb", "questdb-index", "questdb-wal", "rocksdb",
            "sqlite")) {
            if (stores.contains(s)) {
                order.add(s);
            }
        }
        final String md = EmbeddedStoresReport.markdown(rows, order, Integer.parseInt(args[3]), args[4], args[5],
            Double.parseDouble(args[6]), args[7]);
        Files.writeString(Path.of(args[2]), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    static List<String> rotate(final List<String> list, final int by) {
        final List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }

    /** Runs one store on one workload in a JVM of its own and returns its result line. */
    static String runChild(final String store, final String workload, final int durableEvery, final int reads,
                           final String profilePrefix) throws IOException, InterruptedException {
        final Path result = Files.createTempFile("runlog-peers-result-", ".txt");
        try {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(BenchMain.forkJvmFlags());
            cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
            cmd.add("-XX:-UseDynamicNumberOfCompilerThreads"); // compiler threads live on: their CPU is counted
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(EmbeddedStores.class.getName());
            cmd.add("--child");
            cmd.addAll(List.of(store, workload, Integer.toString(durableEvery), Integer.toString(reads),
                result.toString()));
            if (profilePrefix != null) {
                cmd.add(profilePrefix);
            }
            final Path log = Files.createTempFile("runlog-peers-log-", ".txt");
            try {
                final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(20, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(store + " on " + workload + " did not finish in 20 minutes");
                }
                final String line = Files.readString(result, StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0 || line.isEmpty()) {
                    final String out = Files.readString(log, StandardCharsets.UTF_8);
                    throw new IllegalStateException(store + " on " + workload + " failed (exit " + p.exitValue()
                        + "):\n" + out.substring(Math.max(0, out.length() - 4000)));
                }
                System.err.println(line);
                return line;
            } finally {
                Files.deleteIfExists(log);
            }
        } finally {
            Files.deleteIfExists(result);
        }
    }

    static Map<String, String> parse(final String line, final int round) {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("round", Integer.toString(round + 1));
        for (final String kv : line.split(" ")) {
            final int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static void writeCsv(final Path csv, final List<Map<String, String>> rows) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        final StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", rows.get(0).keySet())).append('\n');
        for (final Map<String, String> r : rows) {
            sb.append(String.join(",", r.values())).append('\n');
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }

    static String loadAverage() {
        try {
            final String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return String.format(Locale.ROOT, "%s, %s, %s", f[0], f[1], f[2]);
        } catch (final IOException e) {
            return "unknown";
        }
    }
}
