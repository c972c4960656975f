package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * {@code log()} with a {@link Sync} running against not running (issue 14: at most 1.1x). The
 * call is the same code either way (the sync only reads the store); what can differ is the CPU the
 * sync thread and the server take from the producer and the drainer. The server runs in this JVM
 * (loopback, no rate limits), so on a 2-core machine this is the pessimistic case: producer,
 * drainer, sync and server import share two cores. Measured while the ring has room (each iteration
 * starts with an empty 16M-point ring, as {@code HotPathBenchmark.runlogHandleBurst}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 20, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(2)
@Threads(1)
public class SyncLogBenchmark {
    @State(Scope.Thread)
    public static class SyncState {
        @Param({"false", "true"})
        public boolean sync;

        java.nio.file.Path dir;
        RunlogStore store;
        SyncServer server;
        Sync running;
        Experiment experiment;
        MetricHandle loss;
        long step;

        @Setup(Level.Trial)
        public void open() {
            BenchSupport.quietChronicle();
            dir = BenchSupport.tempDir("runlog-bench-synclog-");
            store = RunlogStore.open(dir.resolve("harness"), new StoreOptions().ringCapacity(1 << 24));
            experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("synced");
            loss = experiment.metric("loss");
            if (sync) {
                final String key = ApiKeys.add(dir.resolve("keys"), "bench");
                server = SyncServer.start(dir.resolve("server"), new StoreOptions(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    dir.resolve("keys"), new ServerOptions(), null, null);
                running = Sync.start(store, new SyncOptions(URI.create("http://127.0.0.1:" + server.port()), key));
            }
        }

        @Setup(Level.Iteration)
        public void drainRing() {
            experiment.pointCount();
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                if (running != null) {
                    running.close();
                }
                if (server != null) {
                    server.close();
                }
            } finally {
                BenchSupport.closeAndDelete(store, dir);
            }
        }
    }

    @Benchmark
    public void log(final SyncState s) {
        final long step = s.step++;
        s.loss.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
    }
}
