package io.runlog.bench;

import io.runlog.codec.AlpCoding;
import io.runlog.codec.AlpRdCoding;
import io.runlog.codec.BitsCoding;
import io.runlog.codec.DecimalCoding;
import io.runlog.codec.DoubleColumn;
import io.runlog.codec.Float32Coding;
import io.runlog.codec.Float32Frames;
import io.runlog.codec.FrameColumn;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15's column coders against the journal's current ones, per value (ns/value, one column
 * of {@link #COUNT} values per operation): {@code encode} and {@code decode} for each
 * {@code codec} on each {@code kind} ({@link CodecData}). Codecs: {@code varint} (the current
 * journal coding of the kind: zigzag varint deltas for integers, {@link BitsCoding} second
 * differences for doubles, {@link Float32Coding} differences for float32), {@code xor}
 * ({@link XorCoding}, doubles), {@code frames} ({@link FrameColumn} of the raw bits at its best
 * order; {@link Float32Frames} for float32), {@code alp}, {@code alprd}, and {@code auto}
 * ({@link DoubleColumn} with its own choice, the choice included in encode). Bytes per value:
 * {@code main} of this class prints them ({@code java -cp runlog-benchmarks.jar
 * io.runlog.bench.CodecBenchmark}). Not every codec applies to every kind (ALP needs decimals):
 * run the combinations the docs list.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CodecBenchmark.COUNT)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class CodecBenchmark {
    static final int COUNT = 1024;

    @Param({"steps", "timestamps", "noisy64", "noisy32", "smooth", "gpt2_train_loss", "gpt2_lr", "gpt2_grad_norm",
        "rl_episode_reward"})
    public String kind;

    @Param({"varint", "decimal", "xor", "frames", "alp", "alprd", "auto"})
    public String codec;

    private long[] values;
    private final long[] out = new long[COUNT];
    private final long[] scratch = new long[COUNT];
    private final long[] dictionary = new long[AlpRdCoding.MAX_DICTIONARY];
    private long address;
    private long capacity;
    private long end;
    private int alpE;
    private int alpF;
    private int rdChoice;
    private int autoChoice;

    @Setup(Level.Trial)
    public void setUp() {
        values = CodecData.column(kind, COUNT);
        final ByteBuffer memory = ByteBuffer.allocateDirect((int) DoubleColumn.maxLength(COUNT) + 64);
        address = BufferUtil.address(memory);
        capacity = memory.capacity();
        keep = memory;
        final boolean integers = CodecData.integers(kind);
        if (codec.equals("xor") && integers || (codec.equals("alprd") || codec.equals("auto")) && integers) {
            throw new IllegalStateException(codec + " does not apply to " + kind);
        }
        if (codec.equals("decimal")) {
            alpE = AlpCoding.chooseExponent(values, 0, COUNT);
            for (int i = 0; i < COUNT && alpE >= 0; i++) {
                alpE = DecimalCoding.digits(values[i], alpE) == DecimalCoding.NONE ? -1 : alpE;
            }
            if (alpE < 0 || integers) {
                throw new IllegalStateException("decimal does not apply to " + kind);
            }
        }
        if (codec.equals("alp")) {
            alpE = AlpCoding.chooseExponent(values, 0, COUNT);
            if (alpE < 0 || integers) {
                throw new IllegalStateException("alp does not apply to " + kind);
            }
            alpF = AlpCoding.chooseFactor(values, 0, COUNT, alpE);
        }
        if (codec.equals("frames") && CodecData.floats(kind)) {
            for (int i = 0; i < COUNT; i++) {
                scratch[i] = Float32Coding.floatBits(values[i]);
            }
        }
        rdChoice = codec.equals("alprd") ? AlpRdCoding.choose(values, 0, COUNT, scratch, dictionary) : 0;
        autoChoice = codec.equals("auto") ? DoubleColumn.choose(values, 0, COUNT) : 0;
        end = encode();
        if (decode() != end) {
            throw new IllegalStateException(codec + " on " + kind + " does not round-trip");
        }
        for (int i = 0; i < COUNT; i++) {
            if (out[i] != values[i]) {
                throw new IllegalStateException(codec + " on " + kind + ": value " + i + " differs");
            }
        }
    }

    private ByteBuffer keep;

    /** Bytes per value of the encoded column. */
    double bytesPerValue() {
        return (double) (end - address) / COUNT;
    }

    @Benchmark
    public long encode() {
        final long[] v = values;
        switch (codec) {
            case "varint" -> {
                long a = address;
                if (CodecData.integers(kind)) {
                    long previous = 0;
                    for (int i = 0; i < COUNT; i++) {
                        a = VarInt.write(null, a, VarInt.zigzag(v[i] - previous));
                        previous = v[i];
                    }
                } else if (CodecData.floats(kind)) {
                    int previous = 0;
                    for (int i = 0; i < COUNT; i++) {
                        final int f = (int) Float32Coding.floatBits(v[i]);
                        a = VarInt.write(null, a, Float32Coding.code(f, previous));
                        previous = f;
                    }
                } else {
                    long previous = 0;
                    long difference = 0;
                    for (int i = 0; i < COUNT; i++) {
                        a = VarInt.write(null, a, BitsCoding.code(v[i], previous, difference));
                        difference = v[i] - previous;
                        previous = v[i];
                    }
                }
                return a;
            }
            case "decimal" -> { // the journal's DECIMAL column: zigzag varint deltas of the digits
                long a = address;
                long previous = 0;
                for (int i = 0; i < COUNT; i++) {
                    final long d = DecimalCoding.digits(v[i], alpE);
                    a = VarInt.write(null, a, VarInt.zigzag(d - previous));
                    previous = d;
                }
                return a;
            }
            case "xor" -> {
                long a = address;
                long previous = 0;
                final long limit = address + capacity;
                for (int i = 0; i < COUNT; i++) {
                    a = XorCoding.write(a, v[i] ^ previous, limit);
                    previous = v[i];
                }
                return a;
            }
            case "frames" -> {
                if (CodecData.floats(kind)) {
                    for (int i = 0; i < COUNT; i++) {
                        scratch[i] = Float32Coding.floatBits(v[i]);
                    }
                    return Float32Frames.encode(scratch, 0, COUNT, null, address);
                }
                return FrameColumn.encode(v, 0, COUNT, null, address);
            }
            case "alp" -> {
                return AlpCoding.encode(v, 0, COUNT, alpE, alpF, scratch, null, address);
            }
            case "alprd" -> {
                return AlpRdCoding.encode(v, 0, COUNT, AlpRdCoding.rightWidth(rdChoice), AlpRdCoding.codeWidth(rdChoice),
                    dictionary, scratch, null, address);
            }
            default -> {
                return DoubleColumn.encode(v, 0, COUNT, DoubleColumn.choose(v, 0, COUNT), scratch, dictionary, null,
                    address);
            }
        }
    }

    @Benchmark
    public long decode() {
        final long stop = end;
        switch (codec) {
            case "varint" -> {
                final int r = CodecData.integers(kind) ? VarInt.decodeDeltas(address, stop, out, 0, COUNT)
                    : CodecData.floats(kind) ? Float32Coding.decodeColumn(address, stop, out, 0, COUNT)
                    : BitsCoding.decodeColumn(address, stop, out, 0, COUNT);
                return r < 0 ? r : stop;
            }
            case "decimal" -> {
                return DecimalCoding.decodeColumn(address, stop, out, 0, COUNT, alpE) < 0 ? -1 : stop;
            }
            case "xor" -> {
                return XorCoding.decodeColumn(address, stop, out, 0, COUNT) < 0 ? -1 : stop;
            }
            case "frames" -> {
                return CodecData.floats(kind) ? Float32Frames.decode(null, address, stop, COUNT, out, 0)
                    : FrameColumn.decode(null, address, stop, COUNT, out, 0);
            }
            case "alp" -> {
                return AlpCoding.decode(null, address, stop, COUNT, out, 0);
            }
            case "alprd" -> {
                return AlpRdCoding.decode(null, address, stop, COUNT, out, 0);
            }
            default -> {
                return DoubleColumn.decode(null, address, stop, COUNT, out, 0);
            }
        }
    }

    /** Prints bytes per value of every applicable codec on every kind. */
    public static void main(final String[] args) {
        final String[] kinds = {"steps", "timestamps", "noisy64", "noisy32", "smooth", "gpt2_train_loss", "gpt2_lr",
            "gpt2_grad_norm", "rl_episode_reward"};
        final String[] codecs = {"varint", "decimal", "xor", "frames", "alp", "alprd", "auto"};
        System.out.println("| kind | " + String.join(" | ", codecs) + " |");
        System.out.println("|---|" + "---:|".repeat(codecs.length));
        for (final String k : kinds) {
            final StringBuilder row = new StringBuilder("| " + k + " |");
            for (final String c : codecs) {
                final CodecBenchmark b = new CodecBenchmark();
                b.kind = k;
                b.codec = c;
                try {
                    b.setUp();
                    row.append(String.format(" %.2f |", b.bytesPerValue()));
                } catch (final IllegalStateException e) {
                    row.append(" - |");
                }
            }
            System.out.println(row);
        }
    }
}
