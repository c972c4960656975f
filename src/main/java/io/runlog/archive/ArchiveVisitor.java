package io.runlog.archive;

import io.runlog.Item;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.gate.ThrottleWarning;

import java.io.InputStream;
import java.util.List;

/**
 * Internal (used by the CLI too): receives the decoded, checksum-verified content of an archive block by block, in file
 * order. Arrays passed to {@link #points} are reused after the call returns.
 */
public interface ArchiveVisitor {
    default void experiment(final ArchiveHeader header) {
    }

    /** Metric names in definition order and each one's point count in the archive. */
    default void metrics(final List<String> names, final long[] points) {
    }

    /** An increment's bases (archive 1.2), right after {@link #metrics}; never called for a whole archive. */
    default void increment(final IncrementBases bases) {
    }

    /** Points {@code [first, first + n)} of metric {@code metric} (index into {@link #metrics}). */
    default void points(final int metric, final long first, final int n, final long[] steps, final long[] timestamps,
                        final long[] valueBits) {
    }

    /** Parameter values: each name's values in logging order; names in order of first logging. */
    default void parameters(final List<Parameter> values) {
    }

    default void output(final List<OutputLine> lines) {
    }

    /**
     * An item; {@code payload} streams its bytes from the following ITEM_PAYLOAD blocks, each
     * verified, and fails on the last byte if the SHA-256 or length differ from the item's. What
     * the visitor does not read is read and verified after it returns.
     */
    default void item(final Item item, final InputStream payload) {
    }

    default void prompts(final List<Prompt> prompts) {
    }

    /** The experiment's throttle warning flag. */
    default void throttle(final ThrottleWarning warning) {
    }
}
