package io.runlog;

/**
 * An increment starts after what the importing store holds of its source: importing it would
 * leave a gap in a stream (a metric's points, a parameter's values, output lines, items or
 * prompts). Nothing was written. {@link #held()} is the importer's mark; the sender exports again
 * from it. The sync server answers it as {@code 409} with that mark (docs/sync.md).
 */
public class IncrementGapException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final transient HighWaterMark held;
    private final String stream;
    private final long base;
    private final long have;

    public IncrementGapException(final String stream, final long base, final long have, final HighWaterMark held,
                                 final String scope) {
        super("increment for " + scope + " starts " + stream + " at entry " + base + ", but only " + have
            + " are held: export it again from the held mark " + held.toJson());
        this.stream = stream;
        this.base = base;
        this.have = have;
        this.held = held;
    }

    /** The importing store's mark of the increment's source. */
    public HighWaterMark held() {
        return held;
    }

    /** The stream with the gap, for example {@code metric 'loss'} or {@code output lines}. */
    public String stream() {
        return stream;
    }

    /** Where the increment starts that stream. */
    public long base() {
        return base;
    }

    /** How many entries of it the store holds. */
    public long have() {
        return have;
    }
}
