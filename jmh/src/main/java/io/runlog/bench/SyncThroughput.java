package io.runlog.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.gate.IngestionGate;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Issue 14's sync throughput and bytes on the wire (a plain main; docs/BENCHMARKS.md, "Sync
 * (issue 14)"). One Jetty 12 server on loopback in this JVM, configured as {@code SyncServer}
 * configures it (same thread pool, same HTTP configuration), serves both the
 * {@link SyncHandler} (rate limits off) and the JSON baselines of {@link JsonIngestHandler}; the
 * clients are JDK {@link HttpClient}s, as the sync client is. Every repetition runs the three
 * paths one after another, each with fresh experiments, in rotating order, and checks that the
 * server ends with every point:
 * <ul>
 *   <li>{@code runlog}: the harness's experiment, logged beforehand into a client store and
 *       drained, shipped by {@link Sync} from {@code start} until {@code awaitSynced} (GET of the
 *       mark, increments exported from the journal, POST, verify, import, sync, 200);</li>
 *   <li>{@code mlflow}: the same points as {@code log_batch} bodies of 1,000 metrics, built with
 *       Jackson's generator and POSTed one after another;</li>
 *   <li>{@code wandb}: the same points as {@code file_stream} bodies of history rows (one row per
 *       step, its metrics as fields), about 1,000 points a body.</li>
 * </ul>
 * With {@code --clients K}, K clients do the same at once, each with its own client store (a
 * separate machine's harness) and experiment; the score is all points over the time until the
 * last client is done. Bodies are counted on the server (Content-Length); gzip sizes are what
 * {@link GZIPOutputStream} (level 6) makes of the same bodies (not sent).
 *
 * <pre>
 * java -cp target/jmh/runlog-benchmarks.jar io.runlog.bench.SyncThroughput \
 *     [--workload noisy|FILE.csv] [--points N] [--reps R] [--warmup W] [--clients K] [--json-durable true|false]
 *     [--profile FILE]   (the runlog path only, after the warm-up, under async-profiler: collapsed stacks to FILE)
 * </pre>
 */
public final class SyncThroughput {
    private static final JsonFactory JSON = new JsonFactory();
    static final int BATCH = 1_000;

    private SyncThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        BenchSupport.quietChronicle();
        String workload = "noisy";
        long points = 2_000_000;
        int reps = 5;
        int warmup = 1;
        int clients = 1;
        boolean jsonDurable = true;
        String profile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload" -> workload = args[++i];
                case "--points" -> points = Long.parseLong(args[++i].replace("_", ""));
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--json-durable" -> jsonDurable = Boolean.parseBoolean(args[++i]);
                case "--profile" -> profile = args[++i];
                default -> {
                    System.err.println("usage: SyncThroughput [--workload noisy|FILE.csv] [--points N] [--reps R] [--warmup W]"
                        + " [--clients K] [--json-durable true|false] [--profile FILE]");
                    System.exit(2);
                }
            }
        }
        final PeerWorkload w = workload.equals("noisy") ? PeerWorkload.noisy(points, 10, 42)
            : PeerWorkload.curves(Path.of(workload));
        run(w, warmup, reps, clients, jsonDurable, profile);
    }

    private static void run(final PeerWorkload w, final int warmup, final int reps, final int clients, final boolean jsonDurable,
                            final String profile)
        throws Exception {
        final Path dir = BenchSupport.tempDir("runlog-bench-sync-");
        final RunlogStore serverStore = RunlogStore.open(dir.resolve("server"), new StoreOptions());
        final String apiKey = ApiKeys.add(dir.resolve("keys"), "bench");
        final ServerOptions so = new ServerOptions().maxBodyBytes(64L << 20);
        final JsonIngestHandler handler = new JsonIngestHandler(serverStore, jsonDurable,
            new SyncHandler(serverStore, ApiKeys.load(dir.resolve("keys")), new IngestionGate(so.rateLimits(), so.clock()), so));
        final Server server = jetty(handler);
        final URI base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        final List<RunlogStore> harness = new ArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int c = 0; c < clients; c++) {
                harness.add(RunlogStore.open(dir.resolve("harness-" + c), new StoreOptions().ringCapacity(1 << 22)));
            }
            final List<byte[]> mlflow = mlflowBodies(w);
            final List<byte[]> wandb = wandbBodies(w);
            System.out.printf(Locale.ROOT, "# workload %s: %,d points, %d metrics; %d client(s); JSON durable per request: %s;"
                + " load average at start: %s%n", w.name, w.size(), w.metricNames.length, clients, jsonDurable, loadAverage());
            System.out.println("rep,path,points,seconds,points_per_s,cpu_seconds,points_per_cpu_s,body_bytes,bytes_per_point,requests");
            final String[] paths = {"runlog", "mlflow", "wandb"};
            final double[][] rates = new double[paths.length][reps];
            final double[][] perCpu = new double[paths.length][reps];
            for (int r = -warmup; r < reps; r++) { // negative: warm-up, printed, not counted
                for (int k = 0; k < paths.length; k++) {
                    final int p = Math.floorMod(k + r, paths.length); // rotate the order
                    if (profile != null && p != 0) {
                        continue;
                    }
                    if (profile != null && r == 0) {
                        one.profiler.AsyncProfiler.getInstance().execute("start,event=cpu,interval=200us");
                    }
                    final String key = paths[p] + "-" + (r + warmup);
                    final long before = p == 0 ? handler.syncBodyBytes.get() : 0;
                    final long requestsBefore = p == 0 ? handler.syncRequests.get() : 0;
                    if (p == 0) {
                        for (int c = 0; c < clients; c++) {
                            logInto(harness.get(c), key + "-c" + c, w);
                        }
                    }
                    final long cpu0 = processCpuNanos();
                    final long t0 = System.nanoTime();
                    final List<Future<Long>> done = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        final int client = c;
                        final Callable<Long> task = switch (p) {
                            case 0 -> () -> syncRunlog(harness.get(client), base, apiKey, key + "-c" + client);
                            case 1 -> () -> post(http, base.resolve("/json/mlflow/" + key + "-c" + client), mlflow);
                            default -> () -> post(http, base.resolve("/json/wandb/" + key + "-c" + client), wandb);
                        };
                        done.add(pool.submit(task));
                    }
                    long bytes = 0;
                    for (final Future<Long> f : done) {
                        bytes += f.get();
                    }
                    final double seconds = (System.nanoTime() - t0) / 1e9;
                    final double cpu = (processCpuNanos() - cpu0) / 1e9;
                    long requests = (long) clients * (p == 1 ? mlflow.size() : wandb.size());
                    if (p == 0) {
                        bytes = handler.syncBodyBytes.get() - before;
                        requests = handler.syncRequests.get() - requestsBefore;
                    }
                    final long total = (long) clients * w.size();
                    check(serverStore, handler, paths[p], key, clients, w.size());
                    if (r >= 0) {
                        rates[p][r] = total / seconds;
                        perCpu[p][r] = total / cpu;
                    }
                    System.out.printf(Locale.ROOT, "%d,%s,%d,%.3f,%.0f,%.3f,%.0f,%d,%.3f,%d%n", r, paths[p], total, seconds,
                        total / seconds, cpu, total / cpu, bytes, (double) bytes / total, requests);
                }
            }
            if (profile != null) {
                one.profiler.AsyncProfiler.getInstance().execute("stop,collapsed,file=" + profile);
                return;
            }
            System.out.println("# medians (points/s): runlog " + fmt(median(rates[0])) + ", mlflow " + fmt(median(rates[1]))
                + ", wandb " + fmt(median(rates[2])) + "; ratio runlog/mlflow " + ratio(rates[0], rates[1])
                + ", runlog/wandb " + ratio(rates[0], rates[2]));
            System.out.println("# medians (points per process CPU second): runlog " + fmt(median(perCpu[0])) + ", mlflow "
                + fmt(median(perCpu[1])) + ", wandb " + fmt(median(perCpu[2])) + "; ratio runlog/mlflow "
                + ratio(perCpu[0], perCpu[1]) + ", runlog/wandb " + ratio(perCpu[0], perCpu[2]));
            sizes(harness.get(0), "runlog-0-c0", w, mlflow, wandb);
            System.out.println("# load average at end: " + loadAverage());
        } finally {
            pool.shutdownNow();
            server.stop();
            handler.closeExperiments();
            harness.forEach(RunlogStore::close);
            BenchSupport.closeAndDelete(serverStore, dir);
        }
    }

    /** The Jetty server as {@code SyncServer.start} builds it (plain HTTP, ephemeral loopback port). */
    private static Server jetty(final JsonIngestHandler handler) throws Exception {
        final QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("bench-serve");
        threads.setDaemon(true);
        final Server server = new Server(threads);
        final HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        final ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    private static void logInto(final RunlogStore store, final String key, final PeerWorkload w) {
        try (Experiment e = store.projectOrCreate("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment(key)) {
            final MetricHandle[] handles = new MetricHandle[w.metricNames.length];
            for (int m = 0; m < handles.length; m++) {
                handles[m] = e.metric(w.metricNames[m]);
            }
            for (int i = 0; i < w.size(); i++) {
                handles[w.metric[i]].log(w.step[i], w.timestamp[i], Double.longBitsToDouble(w.bits[i]));
            }
            e.sync(); // journalled before the clock starts: the sync reads the journal
        }
    }

    /** Ships one experiment until the server acknowledged all of it; returns 0 (bytes are counted on the server). */
    private static long syncRunlog(final RunlogStore harness, final URI base, final String apiKey, final String key)
        throws InterruptedException {
        try (Sync s = Sync.start(harness, new SyncOptions(base, apiKey).project("bench").experiment(key))) {
            if (!s.awaitSynced(Duration.ofMinutes(10))) {
                throw new IllegalStateException("not synced within 10 minutes: " + s.status());
            }
        }
        return 0;
    }

    private static long post(final HttpClient http, final URI uri, final List<byte[]> bodies) throws Exception {
        long bytes = 0;
        for (final byte[] body : bodies) {
            final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + ": " + r.statusCode() + " " + new String(r.body()));
            }
            bytes += body.length;
        }
        return bytes;
    }

    private static void check(final RunlogStore server, final JsonIngestHandler handler, final String path,
                              final String key, final int clients, final long points) {
        for (int c = 0; c < clients; c++) {
            final long have;
            if (path.equals("runlog")) {
                try (Experiment e = server.project("bench").openExperiment(key + "-c" + c)) {
                    have = e.pointCount();
                }
            } else {
                have = handler.points(key + "-c" + c);
            }
            if (have != points) {
                throw new IllegalStateException(path + " " + key + "-c" + c + ": the server holds " + have + " of " + points);
            }
        }
    }

    /** MLflow {@code log_batch} bodies: {@code {"metrics":[{"key","value","timestamp","step"}...]}}, 1,000 a body. */
    static List<byte[]> mlflowBodies(final PeerWorkload w) throws IOException {
        final List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < w.size(); from += BATCH) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(BATCH * 80);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("metrics");
                for (int i = from; i < Math.min(w.size(), from + BATCH); i++) {
                    g.writeStartObject();
                    g.writeStringField("key", w.metricNames[w.metric[i]]);
                    g.writeNumberField("value", Double.longBitsToDouble(w.bits[i]));
                    g.writeNumberField("timestamp", w.timestamp[i]);
                    g.writeNumberField("step", w.step[i]);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            bodies.add(out.toByteArray());
        }
        return bodies;
    }

    /**
     * W&amp;B {@code file_stream} bodies: history rows {@code {"_step":s,"_timestamp":seconds,"m":v,...}}
     * (a row holds consecutive points of one step, each metric once), rows added to a body until
     * it holds at least 1,000 points; {@code offset} counts the rows sent before.
     */
    static List<byte[]> wandbBodies(final PeerWorkload w) throws IOException {
        final List<byte[]> bodies = new ArrayList<>();
        int i = 0;
        long offset = 0;
        final boolean[] inRow = new boolean[w.metricNames.length];
        while (i < w.size()) {
            final List<String> rows = new ArrayList<>();
            int pointsInBody = 0;
            while (i < w.size() && pointsInBody < BATCH) {
                final StringBuilder row = new StringBuilder(160);
                final long step = w.step[i];
                row.append("{\"_step\":").append(step).append(",\"_timestamp\":").append(w.timestamp[i] / 1000.0);
                Arrays.fill(inRow, false);
                while (i < w.size() && w.step[i] == step && !inRow[w.metric[i]]) {
                    inRow[w.metric[i]] = true;
                    row.append(",\"").append(w.metricNames[w.metric[i]]).append("\":")
                        .append(Double.longBitsToDouble(w.bits[i]));
                    i++;
                    pointsInBody++;
                }
                rows.add(row.append('}').toString());
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream(pointsInBody * 40);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeObjectFieldStart("files");
                g.writeObjectFieldStart("wandb-history.jsonl");
                g.writeNumberField("offset", offset);
                g.writeArrayFieldStart("content");
                for (final String row : rows) {
                    g.writeString(row);
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
            }
            offset += rows.size();
            bodies.add(out.toByteArray());
        }
        return bodies;
    }

    /** Bytes per point of the three bodies, plain and gzipped (Runlog: the whole experiment as one increment). */
    private static void sizes(final RunlogStore harness, final String key, final PeerWorkload w, final List<byte[]> mlflow,
                              final List<byte[]> wandb) throws IOException {
        final long[] runlog = new long[2];
        try (Experiment e = harness.project("bench").openExperiment(key)) {
            final CountingOutputStream plain = new CountingOutputStream();
            e.exportIncrement(plain, HighWaterMark.EMPTY, new IncrementOptions());
            runlog[0] = plain.count;
            final CountingOutputStream zipped = new CountingOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                e.exportIncrement(gz, HighWaterMark.EMPTY, new IncrementOptions());
            }
            runlog[1] = zipped.count;
        }
        final long[] m = bodyBytes(mlflow);
        final long[] b = bodyBytes(wandb);
        final double n = w.size();
        System.out.println("# bytes per point (body; gzip level 6 of the same bodies): ");
        System.out.printf(Locale.ROOT, "#   runlog increment %.3f (gzip %.3f); mlflow log_batch %.2f (gzip %.2f);"
                + " wandb file_stream %.2f (gzip %.2f)%n", runlog[0] / n, runlog[1] / n, m[0] / n, m[1] / n, b[0] / n, b[1] / n);
        System.out.printf(Locale.ROOT, "#   runlog/mlflow %.4f (gzip vs gzip %.4f); runlog/wandb %.4f (gzip vs gzip %.4f)%n",
            (double) runlog[0] / m[0], (double) runlog[1] / m[1], (double) runlog[0] / b[0], (double) runlog[1] / b[1]);
    }

    private static long[] bodyBytes(final List<byte[]> bodies) throws IOException {
        long plain = 0;
        long zipped = 0;
        for (final byte[] body : bodies) {
            plain += body.length;
            final CountingOutputStream c = new CountingOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(c)) {
                gz.write(body);
            }
            zipped += c.count;
        }
        return new long[] {plain, zipped};
    }

    private static double median(final double[] v) {
        final double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String ratio(final double[] a, final double[] b) {
        final double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return String.format(Locale.ROOT, "%.1f (median of per-rep ratios)", median(r));
    }

    private static String fmt(final double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** CPU time of the whole process (every thread: clients, server, drains, JIT, GC). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            final String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (final IOException e) {
            return "unknown";
        }
    }

    /** Counts bytes written, dropping them. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(final int b) {
            count++;
        }

        @Override
        public void write(final byte[] b, final int off, final int len) {
            count += len;
        }
    }

}
