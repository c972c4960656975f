package io.runlog.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run of one store on one workload, in a JVM of its own (started by {@link
 * EmbeddedStores}, so no store's JIT profile, heap or native threads leak into another's
 * numbers). In order: build the workload (not timed); a warm-up ingest of its first fifth (at
 * least {@value #WARMUP_MIN_POINTS} points) into a directory deleted right after, so that class
 * loading and JIT compilation are mostly behind the measured run, as in a long training run; ingest into a fresh temporary directory
 * (wall time, CPU of all the process's threads from {@code /proc/self/stat}, CPU of the ingesting
 * thread from {@code ThreadMXBean}); bytes allocated on disk ({@code du -B1 -s}); reopen
 * (open + {@link PeerStore.Reader#probe} + close) {@value #REOPENS} times; open, read every metric
 * back and compare it bit for bit with the workload (a mismatch fails the run); then time
 * {@code reads} reads of the workload's read metric. The result is one line of {@code key=value}
 * pairs written to a file; the directory is deleted whatever happens.
 */
final class EmbeddedStoresRun {
    static final int REOPENS = 5;
    /** The warm-up ingest (JIT, class loading) writes a tenth of the workload, at least this many points. */
    static final int WARMUP_MIN_POINTS = 200_000;
    /** Untimed reads of the read metric before the timed ones (after the verifying read of every metric). */
    static final int READ_WARMUPS = 5;
    private static final long CLOCK_TICK_NANOS = 10_000_000L; // CLK_TCK = 100 (getconf CLK_TCK)

    private EmbeddedStoresRun() {
    }

    static PeerStore store(final String id) {
        return switch (id) {
            case "runlog" -> new RunlogPeer(false);
            case "runlog-producer" -> new RunlogPeer(true);
            case "questdb" -> new QuestDbPeer(false, false);
            case "questdb-index" -> new QuestDbPeer(false, true);
            case "questdb-wal" -> new QuestDbPeer(true, false);
            case "rocksdb" -> new RocksDbPeer();
            case "sqlite" -> new SqlitePeer();
            default -> throw new IllegalArgumentException("unknown store '" + id
                + "' (runlog, runlog-producer, questdb, questdb-index, questdb-wal, rocksdb, sqlite)");
        };
    }

    /** {@code noisy:POINTS:METRICS:SEED} or {@code curves:PATH}. */
    static PeerWorkload workload(final String spec) {
        if (spec.startsWith("noisy:")) {
            final String[] f = spec.split(":");
            return PeerWorkload.noisy(Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]));
        }
        if (spec.startsWith("curves:")) {
            return PeerWorkload.curves(Path.of(spec.substring("curves:".length())));
        }
        throw new IllegalArgumentException("workload is noisy:POINTS:METRICS:SEED or curves:PATH, got " + spec);
    }

    /** Child entry: {@code STORE WORKLOAD DURABLE_EVERY READS RESULT_FILE [PROFILE_PREFIX]}. */
    static void main(final String[] args) throws Exception {
        BenchSupport.quietChronicle();
        final PeerStore store = store(args[0]);
        final PeerWorkload w = workload(args[1]);
        final int durableEvery = Integer.parseInt(args[2]);
        final int reads = Integer.parseInt(args[3]);
        final Path result = Path.of(args[4]);
        final Profiler profiler = args.length > 5 ? new Profiler(args[5]) : null;
        final Path dir = BenchSupport.tempDir("runlog-peers-");
        final Map<String, String> out = new LinkedHashMap<>();
        try {
            final Path storeDir = dir.resolve("store");
            final Path warmDir = dir.resolve("warm-up");
            store.ingest(warmDir, w.head(Math.max(WARMUP_MIN_POINTS, w.size() / 5)), durableEvery);
            BenchSupport.deleteRecursively(warmDir);
            System.gc();
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (profiler != null) {
                profiler.start();
            }
            final long jit0 = compilerThreadsCpuNanos();
            final long cpu0 = processCpuNanos();
            final long thread0 = threads.getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            store.ingest(storeDir, w, durableEvery);
            final long t1 = System.nanoTime();
            final long thread1 = threads.getCurrentThreadCpuTime();
            final long cpu1 = processCpuNanos();
            final long jit1 = compilerThreadsCpuNanos();
            if (profiler != null) {
                profiler.stop("ingest");
            }
            final long disk = BenchSupport.allocatedBytes(storeDir);
            final long apparent = BenchSupport.apparentBytes(storeDir);

            final long[] reopen = new long[REOPENS];
            for (int r = 0; r < REOPENS; r++) {
                final long r0 = System.nanoTime();
                try (PeerStore.Reader reader = store.open(storeDir, w)) {
                    reader.probe(w.readMetric);
                }
                reopen[r] = System.nanoTime() - r0;
            }

            final int readPoints;
            final long readNanos;
            final long readThreadNanos;
            try (PeerStore.Reader reader = store.open(storeDir, w)) {
                for (int m = 0; m < w.metricNames.length; m++) {
                    final String diff = reader.read(m).differenceFrom(w.expected(m));
                    if (diff != null) {
                        throw new IllegalStateException(store.id() + " on " + w.name + ", metric "
                            + w.metricNames[m] + ": " + diff);
                    }
                }
                final PeerWorkload.Columns expected = w.expected(w.readMetric);
                for (int i = 0; i < READ_WARMUPS; i++) {
                    reader.read(w.readMetric);
                }
                if (profiler != null) {
                    profiler.start();
                }
                final long[] times = new long[reads];
                final long[] cpu = new long[reads];
                PeerWorkload.Columns last = null;
                for (int i = 0; i < reads; i++) {
                    final long c0 = threads.getCurrentThreadCpuTime();
                    final long r0 = System.nanoTime();
                    last = reader.read(w.readMetric);
                    times[i] = System.nanoTime() - r0;
                    cpu[i] = threads.getCurrentThreadCpuTime() - c0;
                }
                if (profiler != null) {
                    profiler.stop("read");
                }
                if (last == null || last.differenceFrom(expected) != null) {
                    throw new IllegalStateException(store.id() + ": timed read differs from the workload");
                }
                readPoints = last.size();
                readNanos = median(times);
                readThreadNanos = median(cpu);
            }
            final double n = w.size();
            out.put("store", store.id());
            out.put("workload", w.name);
            out.put("durable_every", Integer.toString(durableEvery));
            out.put("points", Integer.toString(w.size()));
            out.put("ingest_mpps", fmt(n / ((t1 - t0) / 1e3)));
            out.put("cpu_ns_per_point", fmt((cpu1 - cpu0) / n));
            out.put("jit_cpu_ns_per_point", fmt((jit1 - jit0) / n));
            out.put("ingest_thread_cpu_ns_per_point", fmt((thread1 - thread0) / n));
            out.put("disk_bytes_per_point", fmt(disk / n));
            out.put("apparent_bytes_per_point", fmt(apparent / n));
            out.put("read_points", Integer.toString(readPoints));
            out.put("reads", Integer.toString(reads));
            out.put("read_mpps", fmt(readPoints / (readNanos / 1e3)));
            out.put("read_cpu_ns_per_point", fmt(readThreadNanos / (double) readPoints));
            out.put("reopen_ms", fmt(median(reopen) / 1e6));
            out.put("reopen_first_ms", fmt(reopen[0] / 1e6));
            out.put("verified", "bit-exact");
            final StringBuilder line = new StringBuilder();
            out.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
            Files.writeString(result, line.toString().trim() + "\n", StandardCharsets.UTF_8);
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    static String fmt(final double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static long median(final long[] values) {
        final long[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** User + system CPU of every thread of this process, living or exited, from /proc/self/stat. */
    static long processCpuNanos() throws IOException {
        final String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS;
    }

    /**
     * CPU of the JIT compiler threads ({@code C1/C2 CompilerThread*}, from /proc/self/task/&#42;/stat);
     * the child runs with {@code -XX:-UseDynamicNumberOfCompilerThreads}, so they live as long as the JVM.
     */
    static long compilerThreadsCpuNanos() throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (final Path task : tasks.toList()) {
                final String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (final IOException gone) {
                    continue; // the thread exited meanwhile
                }
                final String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    final String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS;
                }
            }
        }
        return sum;
    }

    /** async-profiler through its Java API (the jar in the jmh profile carries the native library). */
    static final class Profiler {
        private final String prefix;
        private final one.profiler.AsyncProfiler profiler;

        Profiler(final String prefix) {
            this.prefix = prefix;
            this.profiler = one.profiler.AsyncProfiler.getInstance();
        }

        void start() throws IOException {
            profiler.execute("start,event=cpu,interval=" + ProfileBreakdown.INTERVAL_MICROS + "us");
        }

        void stop(final String phase) throws IOException {
            profiler.execute("stop,collapsed,file=" + prefix + "-" + phase + ".collapsed");
        }
    }
}
