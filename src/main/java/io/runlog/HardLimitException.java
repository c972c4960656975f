package io.runlog;

/**
 * A write would exceed a hard limit (see {@link HardLimits}). Nothing was written; everything
 * accepted before stays.
 */
public class HardLimitException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final String limitName;
    private final long limit;
    private final long current;
    private final String rejected;

    public HardLimitException(final String limitName, final long limit, final long current, final String rejected,
                              final String scope) {
        super("hard limit '" + limitName + "' of " + limit + " reached in " + scope + " (" + current
            + " already): rejected " + rejected);
        this.limitName = limitName;
        this.limit = limit;
        this.current = current;
        this.rejected = rejected;
    }

    /** The limit's name, as in {@link HardLimits} (for example {@code uniqueMetrics}). */
    public String limitName() {
        return limitName;
    }

    public long limit() {
        return limit;
    }

    /** The count when the write was rejected. */
    public long current() {
        return current;
    }

    /** What was rejected (a metric or parameter name, an item, an experiment key). */
    public String rejected() {
        return rejected;
    }
}
