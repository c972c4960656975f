package io.runlog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU goes: reads the collapsed stacks that {@code EmbeddedStores --profile DIR} wrote
 * (async-profiler, {@code event=cpu}, one sample per {@value #INTERVAL_MICROS} us of CPU of any
 * thread, Java, JVM or native, kernel frames included) and the run's result line, and puts each
 * sample into the first bucket whose pattern one of its frames matches, in the order below. A bucket's
 * ns/point is its samples times the interval over the points of the phase (the ingest's points, or
 * the timed reads' points).
 *
 * <pre>
 * java -jar target/jmh/runlog-benchmarks.jar ProfileBreakdown DIR     (prints Markdown, writes DIR/breakdown.md)
 * </pre>
 */
public final class ProfileBreakdown {
    static final int INTERVAL_MICROS = 200;

    /** Ingest buckets, first match wins (so a page fault inside a copy counts as a page fault). */
    static final Map<String, Pattern> INGEST = buckets(
        "JIT compiler threads", "CompileBroker::",
        "GC threads", "G1|GCTaskThread|ConcurrentGCThread|WorkerThread::run|VM_G1",
        "page faults (first touch of a journal or WAL page, kernel)", "exc_page_fault|do_user_addr_fault|handle_mm_fault",
        "Chronicle appends (open/close a record, header, index)", "io/runlog/store/Journal\\.|net/openhft/chronicle",
        "drain: coding steps, timestamps, values", "PointBatchWriter\\.(code|countRuns)|DecimalRuns|io/runlog/codec/",
        "drain: copying columns into the record", "PointBatchWriter\\.(writeComputedColumns|copyColumns|writeHeader)",
        "drain: reading the ring (commit tags, slots)", "io/runlog/store/PointRing\\.",
        "drain: other (batching, disk budget, catalog)", "RingDrain\\.drain|io/runlog/store/Drainer|PointBatchWriter|"
            + "ExperimentCatalog|MetricExtents|DiskSpaceGuard",
        "producer: waiting for a full ring (spin, yield)", "claimSlow",
        "producer: claim and commit (MetricHandle.log)", "io/runlog/MetricHandle\\.log|RingDrain\\.claim|"
            + "ExperimentEngine\\.claim",
        "harness loop (leaf in the benchmark's loop: the store calls the JIT inlined into it)", "Peer\\.ingest[^;]*$",
        "store open, create, close", "RunlogStore|Project\\.|Experiment\\.|StoreEngine|ExperimentEngine",
        "QuestDB", "io/questdb|libquestdb",
        "RocksDB", "org/rocksdb|rocksdb::|librocksdbjni",
        "SQLite", "org/sqlite|sqlite3",
        "other kernel (syscalls, scheduler)", "_\\[k\\]",
        "other", ".");

    /** Read buckets, first match wins. */
    static final Map<String, Pattern> READ = buckets(
        "JIT compiler threads", "CompileBroker::",
        "GC threads", "G1|GCTaskThread|ConcurrentGCThread|WorkerThread::run|VM_G1",
        "page faults (first touch of new result arrays, kernel)", "exc_page_fault|do_user_addr_fault|handle_mm_fault",
        "result arrays: allocation and zeroing", "memset|clear_page|OptoRuntime::new_array|MemAllocator|"
            + "CollectedHeap|TLAB|Arrays\\.copyOf",
        "varint decode (steps, timestamps; DECIMAL/BITS/FLOAT32 values)", "io/runlog/codec/VarInt|DecimalCoding\\.decode|"
            + "BitsCoding\\.decode|Float32Coding\\.decode",
        "value decode, other codings (XOR)", "io/runlog/codec/|MetricReader\\.decodeValues",
        "journal: locating records (Chronicle tailer)", "io/runlog/store/Journal\\.|net/openhft/chronicle",
        "MetricReader: runs, extents, copying", "io/runlog/store/MetricReader|RecordDecoder|ExperimentEngine|"
            + "ExperimentCatalog|MetricExtents",
        "reader loop (leaf in the benchmark's read: the getters the JIT inlined into it)", "Peer\\$\\d+\\.read[^;]*$",
        "QuestDB", "io/questdb|libquestdb",
        "RocksDB", "org/rocksdb|rocksdb::|librocksdbjni",
        "SQLite", "org/sqlite|sqlite3",
        "other kernel (syscalls, scheduler)", "_\\[k\\]",
        "other", ".");

    private ProfileBreakdown() {
    }

    private static Map<String, Pattern> buckets(final String... nameAndPattern) {
        final Map<String, Pattern> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPattern.length; i += 2) {
            m.put(nameAndPattern[i], Pattern.compile(nameAndPattern[i + 1]));
        }
        return m;
    }

    public static void main(final String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ProfileBreakdown DIR   (the directory EmbeddedStores --profile DIR wrote)");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        final StringBuilder sb = new StringBuilder("# Where the CPU goes (async-profiler, cpu, "
            + INTERVAL_MICROS + " us interval, all threads)\n\n");
        try (var files = Files.list(dir)) {
            for (final Path result : files.filter(f -> f.toString().endsWith(".result")).sorted().toList()) {
                final String store = result.getFileName().toString().replace(".result", "");
                final Map<String, String> r = EmbeddedStores.parse(Files.readString(result).trim(), 0);
                sb.append("## ").append(store).append(" (").append(r.get("workload")).append(")\n\n");
                sb.append("The profiled run's own counters (the profiler adds its cost): ingest ").append(r.get("cpu_ns_per_point"))
                    .append(" ns/point CPU of all threads (").append(r.get("ingest_thread_cpu_ns_per_point"))
                    .append(" on the ingesting thread), ").append(r.get("ingest_mpps")).append(" M points/s; read ")
                    .append(r.get("read_cpu_ns_per_point")).append(" ns/point, ").append(r.get("read_mpps"))
                    .append(" M points/s.\n\n");
                final long points = Long.parseLong(r.get("points"));
                final long readPoints = Long.parseLong(r.get("read_points")) * Long.parseLong(r.get("reads"));
                table(sb, "ingest", dir.resolve(store + "-ingest.collapsed"), INGEST, points);
                table(sb, "read", dir.resolve(store + "-read.collapsed"), READ, readPoints);
            }
        }
        Files.writeString(dir.resolve("breakdown.md"), sb.toString(), StandardCharsets.UTF_8);
        System.out.println(sb);
    }

    private static void table(final StringBuilder sb, final String phase, final Path collapsed,
                              final Map<String, Pattern> buckets, final long points) throws IOException {
        if (!Files.exists(collapsed)) {
            return;
        }
        final Map<String, Long> samples = classify(Files.readAllLines(collapsed, StandardCharsets.UTF_8), buckets);
        final long total = samples.values().stream().mapToLong(Long::longValue).sum();
        sb.append("| ").append(phase).append(" bucket | samples | share | ns/point |\n|---|---:|---:|---:|\n");
        for (final Map.Entry<String, Long> e : samples.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% | %.1f |%n", e.getKey(), e.getValue(),
                100.0 * e.getValue() / total, e.getValue() * INTERVAL_MICROS * 1e3 / points));
        }
        sb.append(String.format(Locale.ROOT, "| **total** | %,d | 100%% | %.1f |%n%n", total,
            total * INTERVAL_MICROS * 1e3 / points));
    }

    /** Samples per bucket; a collapsed line is {@code frame;frame;...;leaf COUNT}. */
    static Map<String, Long> classify(final List<String> lines, final Map<String, Pattern> buckets) {
        final Map<String, Long> out = new LinkedHashMap<>();
        buckets.keySet().forEach(k -> out.put(k, 0L));
        for (final String line : lines) {
            final int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            final long count = Long.parseLong(line.substring(space + 1).trim());
            final String stack = line.substring(0, space);
            for (final Map.Entry<String, Pattern> b : buckets.entrySet()) {
                if (b.getValue().matcher(stack).find()) {
                    out.merge(b.getKey(), count, Long::sum);
                    break;
                }
            }
        }
        return out;
    }
}
