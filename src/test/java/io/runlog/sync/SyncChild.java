package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A harness in a child JVM with the sync embedded, for the tests that kill it or starve it.
 *
 * <pre>
 * outage STORE URL KEYFILE POINTS : simulated clock; logs POINTS points while the server is down;
 *     once 40 simulated minutes have passed prints OUTAGE-40MIN and blocks the sync until a line on
 *     stdin says the server is back; then awaits the sync, prints PEAK-HEAP and SYNCED, exits 0.
 * log STORE URL KEYFILE           : real clock; logs forever (LOGGED n every 100,000) with the sync on.
 * finish STORE URL KEYFILE        : reopens the store (recovering), syncs until synced, prints SYNCED.
 * </pre>
 */
public final class SyncChild {
    private SyncChild() {
    }

    public static void main(final String[] args) throws Exception {
        final String mode = args[0];
        final Path storeDir = Path.of(args[1]);
        final URI server = URI.create(args[2]);
        final String key = Files.readString(Path.of(args[3]), StandardCharsets.UTF_8).strip();
        switch (mode) {
            case "outage" -> outage(storeDir, server, key, Long.parseLong(args[4]));
            case "log" -> logForever(storeDir, server, key);
            case "finish" -> finish(storeDir, server, key);
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static void outage(final Path dir, final URI server, final String key, final long points) throws Exception {
        final SimulatedTime time = new SimulatedTime(1_764_000_000_000L);
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final boolean[] released = {false};
        time.onSleep(n -> {
            if (!released[0] && time.elapsedMillis() >= 40 * 60_000L) {
                System.out.println("OUTAGE-40MIN attempts=" + statusOf.status().attempts());
                System.out.flush();
                try {
                    System.out.println("RELEASED " + stdin.readLine());
                } catch (final java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                released[0] = true;
            }
        });
        // the experiment exists before the sync starts, so every simulated minute is spent retrying, not idling
        try (RunlogStore store = RunlogStore.open(dir);
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e");
             Sync sync = Sync.start(store, new SyncOptions(server, key).clock(time).sleeper(time).seed(5))) {
            statusOf = sync;
            {
                final MetricHandle[] m = {e.metric("loss"), e.metric("noise")};
                long x = 0x9E3779B97F4A7C15L;
                for (long i = 0; i < points; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    // noise: about 8 bytes a point on disk and on the wire, so the backlog outgrows the heap
                    m[(int) (i & 1)].log(i >> 1, 1_764_000_000_000L + i, (x >>> 11) * 0x1.0p-53);
                }
                System.out.println("LOGGED " + points);
                System.out.flush();
                if (!sync.awaitSynced(Duration.ofMinutes(15))) {
                    System.out.println("NOT-SYNCED " + sync.status());
                    System.exit(3);
                }
                final SyncStatus s = sync.status();
                System.out.println("STATUS " + s);
                System.out.println("PEAK-HEAP " + peakHeap() + " MAX-HEAP " + Runtime.getRuntime().maxMemory()
                    + " PEAK-OLD " + peakOld());
                System.out.println("SYNCED " + s.acknowledgedPoints());
                System.out.flush();
            }
        }
    }

    private static volatile Sync statusOf;

    /** Sum of every heap pool's peak use: an upper bound of the heap the whole process needed. */
    static long peakHeap() {
        long sum = 0;
        for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Peak use of the old generation (what survived collections: the live set), or -1. */
    static long peakOld() {
        for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && (p.getName().contains("Old") || p.getName().contains("Tenured"))) {
                return p.getPeakUsage().getUsed();
            }
        }
        return -1;
    }

    private static void logForever(final Path dir, final URI server, final String key) {
        try (RunlogStore store = RunlogStore.open(dir);
             Sync sync = Sync.start(store, new SyncOptions(server, key).seed(6).maxSegmentBytes(256 << 10)
                 .pollInterval(Duration.ofMillis(10)));
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            final MetricHandle m = e.metric("loss");
            e.logParameter("lr", 0.1);
            for (long i = 0; ; i++) {
                m.log(i, 1.0 / (1 + i));
                if (i % 100_000 == 0) {
                    e.logOutput(io.runlog.OutputChannel.STDOUT, "step " + i);
                    System.out.println("LOGGED " + i + " acked " + sync.status().acknowledgedPoints());
                    System.out.flush();
                    // pace the harness to the upload (at most 2M points ahead), so the store stays small
                    while (i - sync.status().acknowledgedPoints() > 2_000_000) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            }
        }
    }

    private static void finish(final Path dir, final URI server, final String key) throws Exception {
        try (RunlogStore store = RunlogStore.open(dir);
             Sync sync = Sync.start(store, new SyncOptions(server, key).seed(7))) {
            if (!sync.awaitSynced(Duration.ofMinutes(5))) {
                System.out.println("NOT-SYNCED " + sync.status());
                System.exit(3);
            }
            System.out.println("SYNCED " + sync.status());
        }
    }
}
