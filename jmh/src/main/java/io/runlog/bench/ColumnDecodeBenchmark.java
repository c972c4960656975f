package io.runlog.bench;

import io.runlog.codec.BitsCoding;
import io.runlog.codec.DecimalCoding;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;
import org.agrona.BufferUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The journal's column decoders ({@code io.runlog.codec}) alone, per value, on columns of one
 * run of {@link #COUNT} points as the drain writes them: steps 0, 1, 2 ...; timestamps a few
 * milliseconds apart; and the values of a schedule {@code i * 1e-3} (BITS), a 4-decimal loss
 * (DECIMAL) and a noisy full-precision curve (XOR). The floor copies the same number of longs.
 * What {@code StoreScaleBenchmark}'s reads pay per point, without the journal around it.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ColumnDecodeBenchmark.COUNT)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ColumnDecodeBenchmark {
    static final int COUNT = 1024;

    private final long[] out = new long[COUNT];
    private ByteBuffer memory;
    private long steps;
    private long stepsEnd;
    private long timestamps;
    private long timestampsEnd;
    private long bits;
    private long bitsEnd;
    private long decimals;
    private long decimalsEnd;
    private long xor;
    private long xorEnd;
    private final long[] source = new long[COUNT];

    @Setup(Level.Trial)
    public void write() {
        memory = ByteBuffer.allocateDirect(5 * COUNT * 10 + 64);
        final long base = BufferUtil.address(memory);
        final SplittableRandom random = new SplittableRandom(42);
        long at = base;
        steps = at;
        long previous = 0;
        for (int i = 0; i < COUNT; i++) {
            at = VarInt.write(at, VarInt.zigzag(i - previous));
            previous = i;
        }
        stepsEnd = at;
        timestamps = at;
        previous = 0;
        long t = 1_700_000_000_000L;
        for (int i = 0; i < COUNT; i++) {
            t += 1 + random.nextInt(20);
            at = VarInt.write(at, VarInt.zigzag(t - previous));
            previous = t;
        }
        timestampsEnd = at;
        bits = at;
        previous = 0;
        long difference = 0;
        for (int i = 0; i < COUNT; i++) {
            final long b = Double.doubleToRawLongBits(i * 1e-3);
            at = VarInt.write(at, BitsCoding.code(b, previous, difference));
            difference = b - previous;
            previous = b;
        }
        bitsEnd = at;
        decimals = at;
        previous = 0;
        long d = 25_000;
        for (int i = 0; i < COUNT; i++) {
            d += random.nextInt(41) - 20;
            at = VarInt.write(at, VarInt.zigzag(d - previous));
            previous = d;
        }
        decimalsEnd = at;
        xor = at;
        previous = 0;
        double v = 2.5;
        for (int i = 0; i < COUNT; i++) {
            v *= 1 - 1e-3 * random.nextDouble();
            final long b = Double.doubleToRawLongBits(v);
            at = XorCoding.write(at, b ^ previous, base + memory.capacity());
            previous = b;
            source[i] = b;
        }
        xorEnd = at;
    }

    private long[] checked(final int result) {
        if (result < 0) {
            throw new IllegalStateException("malformed column");
        }
        return out;
    }

    @Benchmark
    public long[] steps() {
        return checked(VarInt.decodeDeltas(steps, stepsEnd, out, 0, COUNT));
    }

    @Benchmark
    public long[] timestamps() {
        return checked(VarInt.decodeDeltas(timestamps, timestampsEnd, out, 0, COUNT));
    }

    @Benchmark
    public long[] bitsValues() {
        return checked(BitsCoding.decodeColumn(bits, bitsEnd, out, 0, COUNT));
    }

    @Benchmark
    public long[] decimalValues() {
        return checked(DecimalCoding.decodeColumn(decimals, decimalsEnd, out, 0, COUNT, 4));
    }

    @Benchmark
    public long[] xorValues() {
        return checked(XorCoding.decodeColumn(xor, xorEnd, out, 0, COUNT));
    }

    /** Baseline: {@link #timestamps()} by the decoder before the codec package (6215bbd). */
    @ComparedTo("timestamps")
    @Benchmark
    public long[] timestampsFormer() {
        return checked(FormerColumnDecoders.decodeDeltas(timestamps, 0, (int) (timestampsEnd - timestamps), out, 0, COUNT));
    }

    /** Baseline: {@link #decimalValues()} by the decoder before the codec package (6215bbd). */
    @ComparedTo("decimalValues")
    @Benchmark
    public long[] decimalValuesFormer() {
        return checked(FormerColumnDecoders.decodeDecimals(decimals, 0, (int) (decimalsEnd - decimals), out, 0, COUNT,
            1e4));
    }

    /** Baseline: {@link #xorValues()} by the decoder before the codec package (6215bbd). */
    @ComparedTo("xorValues")
    @Benchmark
    public long[] xorValuesFormer() {
        return checked(FormerColumnDecoders.decodeXor(xor, 0, (int) (xorEnd - xor), out, 0, COUNT));
    }

    @Benchmark
    public long[] copyFloor() {
        System.arraycopy(source, 0, out, 0, COUNT);
        return out;
    }
}
