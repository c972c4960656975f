package io.runlog.crash;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The acknowledgement ledger shared by {@link CrashChild} and the parent: a small memory-mapped
 * file holding, per logging thread (each on its own cache line) and per metric, the highest
 * sequence whose {@code log} call has returned. The child publishes with release stores after
 * each call returns; the mapping is in the page cache, so whatever the child stored before
 * {@code kill -9} is what the parent reads afterwards.
 *
 * <p>The child also publishes which {@link Phase} its main thread is in, so the parent can tell
 * where each kill landed.
 *
 * <p>Between rounds the parent rewrites the entries to the highest sequence actually stored, and
 * the next child continues from there.
 */
public final class CrashLedger implements AutoCloseable {
    private static final int LENGTH = 4096;
    private static final int THREAD_STRIDE = 128;
    private static final int PHASE_OFFSET = 0;

    /** What the child's main thread is doing. */
    public enum Phase {
        STARTING, OPENING_STORE, OPENING_EXPERIMENT, LOGGING, CLOSING_EXPERIMENT, CLOSING_STORE, IDLE;

        /** True for the phases that open, recover, drain or close files rather than log. */
        public boolean isOpenOrClose() {
            return this == OPENING_STORE || this == OPENING_EXPERIMENT || this == CLOSING_EXPERIMENT
                || this == CLOSING_STORE;
        }
    }

    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;

    private CrashLedger(final MappedByteBuffer mapping) {
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
    }

    /** Maps the ledger file, creating it zeroed if needed. */
    public static CrashLedger map(final Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            return new CrashLedger(ch.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int offset(final int thread, final int metric) {
        return THREAD_STRIDE + thread * THREAD_STRIDE + metric * Long.BYTES;
    }

    /** Child: sequence {@code seq} of (thread, metric) has been acknowledged. */
    public void acknowledge(final int thread, final int metric, final long seq) {
        buffer.putLongRelease(offset(thread, metric), seq);
    }

    public void phase(final Phase phase) {
        buffer.putIntRelease(PHASE_OFFSET, phase.ordinal());
    }

    public Phase phase() {
        return Phase.values()[buffer.getIntAcquire(PHASE_OFFSET)];
    }

    public long acknowledged(final int thread, final int metric) {
        return buffer.getLongAcquire(offset(thread, metric));
    }

    /** Sum of every entry: progress the parent waits on. */
    public long total() {
        long sum = 0;
        for (int t = 0; t < CrashPoints.THREADS; t++) {
            for (int m = 0; m < CrashPoints.METRICS; m++) {
                sum += acknowledged(t, m);
            }
        }
        return sum;
    }

    /** Parent, while no child runs: the next child continues after {@code seq}. */
    public void rebase(final int thread, final int metric, final long seq) {
        buffer.putLongVolatile(offset(thread, metric), seq);
    }

    @Override
    public void close() {
        IoUtil.unmap(mapping);
    }
}
