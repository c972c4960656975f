package io.runlog.bench;

import org.agrona.IoUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own two-thread scaling, the floor under {@link TwoThreadBenchmark}'s goal: how
 * much aggregate throughput a second thread adds to share-nothing work of two kinds, measured in
 * the same run.
 *
 * <ul>
 *   <li>{@code cpu*}: pure arithmetic in registers (xorshift rounds), nothing shared, no memory
 *       traffic: tells whether the two vCPUs are independent cores or share one (SMT).</li>
 *   <li>{@code fileAppend*}: each thread appends 8 bytes per op to its own memory-mapped file, 64
 *       MiB per file, a new file when one is full: the cost that bounds a saturated drain (the
 *       kernel allocating and mapping new pages of a file), without any of Runlog's code.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScalingFloorBenchmark {
    private static final int FILE_BYTES = 64 << 20;
    /** Mapping chunk of the {@code fileAppendChunked*} variants: Chronicle's default journal block (1 MiB). */
    private static final int CHUNK_BYTES = 1 << 20;

    @State(Scope.Thread)
    public static class Cpu {
        long x = System.nanoTime() | 1;
    }

    /** A thread's directory, file and current mapping; all released and deleted after each iteration. */
    abstract static class MappedFile {
        Path dir;
        FileChannel channel;
        MappedByteBuffer buffer;
        int position;

        static FileChannel create(final Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            IoUtil.unmap(buffer);
            buffer = null;
            channel.close();
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** One thread's mapped file, replaced when full. */
    @State(Scope.Thread)
    public static class Appender extends MappedFile {
        int files;

        @Setup(Level.Iteration)
        public void open() {
            dir = BenchSupport.tempDir("runlog-bench-floor-");
            next();
        }

        void next() {
            try {
                if (buffer != null) {
                    IoUtil.unmap(buffer);
                    channel.close();
                    Files.delete(dir.resolve("f" + (files - 1)));
                }
                channel = create(dir.resolve("f" + files++));
                buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_BYTES);
                position = 0;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

    }

    /**
     * The same appends, but the file is mapped 1 MiB at a time (a new mapping, and the old one
     * unmapped, every 1 MiB), as Chronicle maps its files in blocks: measures what mapping churn
     * costs two threads of one process ({@code mmap}/{@code munmap} take the process's memory-map
     * lock, and an unmap interrupts the other core to flush its TLB).
     */
    @State(Scope.Thread)
    public static class ChunkedAppender extends MappedFile {
        long fileOffset;

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = BenchSupport.tempDir("runlog-bench-floor-chunked-");
            channel = create(dir.resolve("f"));
            fileOffset = 0;
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, fileOffset, CHUNK_BYTES);
            position = 0;
        }

        void next() {
            try {
                IoUtil.unmap(buffer);
                fileOffset += CHUNK_BYTES;
                if (fileOffset >= FILE_BYTES * 4L) { // keep the file bounded: start a new one
                    channel.close();
                    Files.delete(dir.resolve("f"));
                    channel = create(dir.resolve("f"));
                    fileOffset = 0;
                }
                buffer = channel.map(FileChannel.MapMode.READ_WRITE, fileOffset, CHUNK_BYTES);
                position = 0;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

    }

    private static long spin(final Cpu s) {
        long x = s.x;
        for (int i = 0; i < 16; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        s.x = x;
        return x;
    }

    private static void append(final Appender a) {
        if (a.position == FILE_BYTES) {
            a.next();
        }
        a.buffer.putLong(a.position, a.position);
        a.position += 8;
    }

    private static void appendChunked(final ChunkedAppender a) {
        if (a.position == CHUNK_BYTES) {
            a.next();
        }
        a.buffer.putLong(a.position, a.position);
        a.position += 8;
    }

    @Benchmark
    @Threads(1)
    public long cpuOneThread(final Cpu s) {
        return spin(s);
    }

    @ComparedTo("cpuOneThread")

    @Benchmark
    @Threads(2)
    public long cpuTwoThreads(final Cpu s) {
        return spin(s);
    }

    @Benchmark
    @Threads(1)
    public void fileAppendOneThread(final Appender a) {
        append(a);
    }

    @ComparedTo("fileAppendOneThread")

    @Benchmark
    @Threads(2)
    public void fileAppendTwoThreads(final Appender a) {
        append(a);
    }

    @Benchmark
    @Threads(1)
    public void fileAppendChunkedOneThread(final ChunkedAppender a) {
        appendChunked(a);
    }

    @ComparedTo("fileAppendChunkedOneThread")

    @Benchmark
    @Threads(2)
    public void fileAppendChunkedTwoThreads(final ChunkedAppender a) {
        appendChunked(a);
    }
}
