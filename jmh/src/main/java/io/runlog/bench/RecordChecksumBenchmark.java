package io.runlog.bench;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What journal format 5's record check costs per byte: the CRC32C of a record of {@code bytes}
 * bytes at a raw address, as {@code io.runlog.store.RecordChecksum} takes it (one reusable direct
 * buffer pointed at the memory, 16 KiB a call to the {@link CRC32C} intrinsic), beside a copy of
 * the same bytes (the floor: the drain copies every column into its record once). Times are per
 * record; divided by {@code bytes} they are per byte. A point takes 3.4 to 10 bytes in a batch ({@code BytesPerPoint}), so the drain pays
 * about that many times the per-byte figure per point, and a read of one metric of a batch of
 * {@code M} metrics pays it for the whole record.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RecordChecksumBenchmark {
    private static final int CHUNK = 16 * 1024;

    /** A typical batch record (15 to 40 KB) and a small one. */
    @Param({"32768", "2048"})
    public int bytes;

    private ByteBuffer memory;
    private ByteBuffer copy;
    private long address;
    private long copyAddress;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer owned = ByteBuffer.allocateDirect(CHUNK);
    private final ByteBuffer view = owned.duplicate();
    private final long ownedAddress = BufferUtil.address(owned);

    @Setup(Level.Trial)
    public void fill() {
        memory = ByteBuffer.allocateDirect(bytes);
        copy = ByteBuffer.allocateDirect(bytes);
        address = BufferUtil.address(memory);
        copyAddress = BufferUtil.address(copy);
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < bytes; i++) {
            memory.put(i, (byte) random.nextInt(256));
        }
    }

    /** The record check of a record of {@code bytes} bytes. */
    @Benchmark
    public int crc32cPerRecord() {
        crc.reset();
        for (int done = 0; done < bytes; done += CHUNK) {
            UnsafeApi.putLong(view, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, address + done);
            view.clear().limit(Math.min(CHUNK, bytes - done));
            crc.update(view);
        }
        UnsafeApi.putLong(view, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, ownedAddress);
        return (int) crc.getValue();
    }

    /** The floor: copying the same bytes once. */
    @Benchmark
    public void copyPerRecord() {
        UnsafeApi.copyMemory(address, copyAddress, bytes);
    }
}
