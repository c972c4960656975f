package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aggregate logging throughput of one store with two producer threads, each logging to its own
 * experiment (own ring), against the same with one thread. JMH sums the threads' throughput.
 *
 * <p>With {@code backgroundDrain=true} both experiments are drained by the store's single drainer
 * thread, which competes with the producers for the cores: on a 2-core machine, 2 producers + 1
 * drainer oversubscribe it, and a producer that finds its ring full drains it itself. With
 * {@code backgroundDrain=false} there is no drainer thread and every producer drains its own ring.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TwoThreadBenchmark {
    @State(Scope.Benchmark)
    public static class StoreState {
        @Param("1048576")
        public int ringCapacity;

        /**
         * true: the store's drainer thread drains both rings. false: no drainer thread; each
         * producer drains its own ring when it fills (StoreOptions.backgroundDrain(false)), so
         * producers share nothing and the drain runs on the core whose cache holds the points.
         */
        @Param({"true", "false"})
        public boolean backgroundDrain;

        /** The journal's Chronicle block size (StoreOptions.journalBlockSize): the unit in which its files are mapped. */
        @Param("1048576")
        public long journalBlockSize;

        Path dir;
        RunlogStore store;
        Project project;
        final AtomicInteger nextKey = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-2t-");
            store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(ringCapacity).backgroundDrain(backgroundDrain)
                .journalBlockSize(journalBlockSize));
            project = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT);
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    /** Each benchmark thread: its own experiment and handle. */
    @State(Scope.Thread)
    public static class ProducerState {
        Experiment experiment;
        MetricHandle loss;
        long step;

        @Setup(Level.Trial)
        public void open(final StoreState s) {
            experiment = s.project.createExperiment("producer-" + s.nextKey.getAndIncrement());
            loss = experiment.metric("loss");
        }

        @TearDown(Level.Trial)
        public void close() {
            experiment.close();
        }
    }

    @Benchmark
    @Threads(1)
    public void oneThread(final ProducerState p) {
        final long step = p.step++;
        p.loss.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
    }

    @ComparedTo("oneThread")

    @Benchmark
    @Threads(2)
    public void twoThreads(final ProducerState p) {
        final long step = p.step++;
        p.loss.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
    }

    /**
     * Each benchmark thread: a store of its own (no drainer thread, the producer drains its
     * ring), to tell what two experiments of one store share from what two journals share.
     */
    @State(Scope.Thread)
    public static class OwnStoreProducer {
        Path dir;
        RunlogStore store;
        MetricHandle loss;
        long step;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-2t-own-");
            store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(1 << 20).backgroundDrain(false));
            loss = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("p").metric("loss");
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    @Benchmark
    @Threads(1)
    public void oneThreadOwnStore(final OwnStoreProducer p) {
        final long step = p.step++;
        p.loss.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
    }

    @ComparedTo("oneThreadOwnStore")

    @Benchmark
    @Threads(2)
    public void twoThreadsOwnStore(final OwnStoreProducer p) {
        final long step = p.step++;
        p.loss.log(step, HotPathBenchmark.BASE_TS + (step >>> 10), step * 1e-3);
    }
}
