package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Cost of logging one metric point on the caller's thread, steady state, one producer thread.
 *
 * <p>{@code runlogHandle}, {@code runlogHandleClock} and {@code runlogByName} log flat out for
 * whole iterations: that is the saturated steady state, where the ring is full most of the time
 * and throughput is bounded by the drainer. {@code runlogHandleBurst} measures the call itself
 * while the ring has room.
 *
 * <p>Runlog: the call claims a slot of the memory-mapped ring and writes the point there (durable
 * against {@code kill -9} on return); the background drainer thread moves points into the
 * Chronicle journal on the other core, so its cost is not in these numbers unless the ring fills,
 * in which case the producer helps drain and the cost shows up here.
 *
 * <p>Baselines, same durability against {@code kill -9} on return: one Chronicle Queue document per
 * point (same 1 MiB block size and FAST_DAILY roll cycle as Runlog's journal); one text line
 * {@code "timestamp value step\n"} per point appended with one {@code write} call to a per-metric
 * file (MLflow's file-store layout); one JSON message line per point written the same way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
@Threads(1)
public class HotPathBenchmark {
    static final long BASE_TS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @State(Scope.Thread)
    public static class RunlogState {
        /** Large enough that a scheduling hiccup of the drainer does not stall the producer. */
        @Param("1048576")
        public int ringCapacity;

        /** true: the drainer thread drains the ring; false: the producer drains it when full. */
        @Param({"true", "false"})
        public boolean backgroundDrain;

        /** The journal's Chronicle block size (StoreOptions.journalBlockSize): the unit in which its files are mapped. */
        @Param("1048576")
        public long journalBlockSize;

        Path dir;
        RunlogStore store;
        Experiment experiment;
        MetricHandle loss;
        long step;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-hotpath-");
            store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(ringCapacity)
                .backgroundDrain(backgroundDrain).journalBlockSize(journalBlockSize));
            experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("hot");
            loss = experiment.metric("loss");
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                if (experiment.pointCount() != step) {
                    throw new IllegalStateException("stored " + experiment.pointCount() + " points, logged " + step);
                }
                store.close();
            } finally {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    /**
     * For {@link #runlogHandleBurst}: the largest ring (16M points), emptied before every
     * iteration, so that within an iteration the producer never waits for the drainer as long as
     * the iteration logs fewer points than the ring holds (checked after each iteration).
     */
    @State(Scope.Thread)
    public static class BurstState {
        Path dir;
        RunlogStore store;
        Experiment experiment;
        MetricHandle loss;
        long step;
        long stepAtIterationStart;
        final int capacity = 1 << 24;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-burst-");
            store = RunlogStore.open(dir.resolve("store"), new StoreOptions().ringCapacity(capacity));
            experiment = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("burst");
            loss = experiment.metric("loss");
        }

        @Setup(Level.Iteration)
        public void drainRing() {
            experiment.pointCount(); // drains every point logged so far: the ring starts empty
            stepAtIterationStart = step;
        }

        @TearDown(Level.Iteration)
        public void checkRingNeverFilled() {
            final long logged = step - stepAtIterationStart;
            if (logged > capacity) {
                System.err.printf("WARNING: iteration logged %,d points into a ring of %,d: it may have filled, "
                    + "so this iteration may include waits for the drainer; use a shorter -r%n", logged, capacity);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchSupport.closeAndDelete(store, dir);
        }
    }

    @State(Scope.Thread)
    public static class ChronicleState {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        long step;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-chronicle-");
            queue = SingleChronicleQueueBuilder.single(dir.resolve("queue").toFile())
                .blockSize(StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)
                .rollCycle(RollCycles.FAST_DAILY)
                .build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                appender.close();
                queue.close();
                BackgroundResourceReleaser.releasePendingResources();
            } finally {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    /** One file opened for append; each point formatted into a reused buffer and written with one call. */
    abstract static class LineFileState {
        Path dir;
        FileChannel channel;
        final StringBuilder line = new StringBuilder(128);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(256);
        long step;

        void open(final String prefix, final String relative) throws IOException {
            dir = BenchSupport.tempDir(prefix);
            final Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        }

        /** ASCII chars of {@link #line} into the buffer, then one write (loops only on a short write). */
        final void writeLine() throws IOException {
            final StringBuilder sb = line;
            final ByteBuffer b = buffer;
            b.clear();
            for (int i = 0, n = sb.length(); i < n; i++) {
                b.put((byte) sb.charAt(i));
            }
            b.flip();
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        void close() throws IOException {
            try {
                channel.close();
            } finally {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    @State(Scope.Thread)
    public static class TextLineState extends LineFileState {
        @Setup(Level.Trial)
        public void setup() throws IOException {
            open("runlog-bench-text-", "mlruns/0/run/metrics/loss");
        }

        @TearDown(Level.Trial)
        public void teardown() throws IOException {
            close();
        }
    }

    @State(Scope.Thread)
    public static class JsonState extends LineFileState {
        @Setup(Level.Trial)
        public void setup() throws IOException {
            open("runlog-bench-json-", "messages.jsonl");
        }

        @TearDown(Level.Trial)
        public void teardown() throws IOException {
            close();
        }
    }

    // ------------------------------------------------------------------ Runlog

    /** The hot path: a resolved handle, explicit timestamp. */
    @ComparedTo("chroniclePerPoint")
    @Benchmark
    public void runlogHandle(final RunlogState s) {
        final long step = s.step++;
        s.loss.log(step, BASE_TS + (step >>> 10), step * 1e-3);
    }

    /**
     * The same call as {@link #runlogHandle}, measured while the ring has room: iterations of
     * 100 ms, each starting with an empty 16M-point ring. This is the call's own cost (the drainer
     * still runs on the other core); {@link #runlogHandle} is the saturated steady state, bounded
     * by how fast the single drainer empties the ring.
     */
    @ComparedTo("chroniclePerPoint")
    @Benchmark
    @Warmup(iterations = 5, time = 100, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10, time = 100, timeUnit = TimeUnit.MILLISECONDS)
    public void runlogHandleBurst(final BurstState s) {
        final long step = s.step++;
        s.loss.log(step, BASE_TS + (step >>> 10), step * 1e-3);
    }

    /**
     * Values of a training loss curve (decaying, with noise), 4,096 of them, repeated: as a
     * harness logs them from float32 tensors ({@code loss.item()}), and as text with 4 decimals
     * parses to (CSV ingest, printed logs). The journal codes the first XOR, the second DECIMAL.
     */
    static final double[] FLOAT32_LOSS = new double[4096];
    static final double[] DECIMAL_LOSS = new double[4096];

    static {
        for (int i = 0; i < FLOAT32_LOSS.length; i++) {
            final double v = 2.5 * Math.exp(-i / 1500.0) + 0.3 + 0.02 * Math.sin(i * 0.7);
            FLOAT32_LOSS[i] = (float) v;
            DECIMAL_LOSS[i] = Math.round(v * 1e4) / 1e4;
        }
    }

    /** {@link #runlogHandle} logging a float32 loss curve. */
    @ComparedTo("chroniclePerPoint")
    @Benchmark
    public void runlogHandleFloat32(final RunlogState s) {
        final long step = s.step++;
        s.loss.log(step, BASE_TS + (step >>> 10), FLOAT32_LOSS[(int) step & 4095]);
    }

    /** {@link #runlogHandle} logging a loss curve with 4 decimals. */
    @ComparedTo("chroniclePerPoint")
    @Benchmark
    public void runlogHandleDecimal(final RunlogState s) {
        final long step = s.step++;
        s.loss.log(step, BASE_TS + (step >>> 10), DECIMAL_LOSS[(int) step & 4095]);
    }

    /** A resolved handle, timestamp from the store's clock (SystemEpochClock by default). */
    @ComparedTo("chroniclePerPoint")
    @Benchmark
    public void runlogHandleClock(final RunlogState s) {
        final long step = s.step++;
        s.loss.log(step, step * 1e-3);
    }

    /** By name: one map lookup more, timestamp from the store's clock. */
    @ComparedTo("runlogHandle")
    @Benchmark
    public void runlogByName(final RunlogState s) {
        final long step = s.step++;
        s.experiment.log("loss", step, step * 1e-3);
    }

    // ------------------------------------------------------------------ baselines

    /** (a) One Chronicle Queue document per point: raw step, timestamp, value bits. */
    @Benchmark
    public void chroniclePerPoint(final ChronicleState s) {
        final long step = s.step++;
        try (DocumentContext dc = s.appender.writingDocument()) {
            final Bytes<?> b = dc.wire().bytes();
            b.writeLong(step);
            b.writeLong(BASE_TS + (step >>> 10));
            b.writeLong(Double.doubleToRawLongBits(step * 1e-3));
        }
    }

    /** (b) MLflow file store: {@code "timestamp value step\n"} appended to the metric's file, one write per point. */
    @ComparedTo("runlogHandle")
    @Benchmark
    public void textLinePerPoint(final TextLineState s) throws IOException {
        final long step = s.step++;
        final StringBuilder sb = s.line;
        sb.setLength(0);
        sb.append(BASE_TS + (step >>> 10)).append(' ').append(step * 1e-3).append(' ').append(step).append('\n');
        s.writeLine();
    }

    /** (c) One JSON message line per point, one write per point. */
    @ComparedTo("runlogHandle")
    @Benchmark
    public void jsonPerPoint(final JsonState s) throws IOException {
        final long step = s.step++;
        final StringBuilder sb = s.line;
        sb.setLength(0);
        sb.append("{\"metric\":\"loss\",\"step\":").append(step)
            .append(",\"timestamp\":").append(BASE_TS + (step >>> 10))
            .append(",\"value\":").append(step * 1e-3).append("}\n");
        s.writeLine();
    }
}
