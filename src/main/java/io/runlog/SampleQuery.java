package io.runlog;

import java.util.Objects;

/**
 * How to sample a metric for {@link Experiment#sampledMetric(String, SampleQuery)}: at most how
 * many points, with which algorithm, along which x axis, and optionally only the points whose x
 * lies in {@code [from, to]}. Immutable; the {@code with...} methods return a changed copy.
 *
 * <pre>{@code
 * MetricSeries chart = run.sampledMetric("loss");                          // store default, LTTB on steps
 * MetricSeries zoom  = run.sampledMetric("loss", SampleQuery.ofMax(2_000)
 *         .withRange(10_000, 20_000));                                      // steps 10,000..20,000
 * MetricSeries fast  = run.sampledMetric("loss", SampleQuery.defaults()
 *         .withAlgorithm(SampleQuery.Algorithm.MINMAX_LTTB)
 *         .withAxis(SampleQuery.Axis.TIMESTAMP));
 * }</pre>
 *
 * The rules (ordering, the NaN rule, the algorithms) are in {@code docs/sampling.md}.
 */
public final class SampleQuery {
    /** The smallest maximum: LTTB keeps the first and last point and needs at least one bucket. */
    public static final int MIN_MAX_POINTS = 3;

    /** The sampling algorithm. */
    public enum Algorithm {
        /** Largest-Triangle-Three-Buckets, exactly as the reference (Steinarsson 2013). */
        LTTB,
        /** Min-max pre-selection then LTTB (Van Der Donckt et al. 2023): faster on long series, nearly the same points. */
        MINMAX_LTTB
    }

    /** The x axis points are ordered, ranged and sampled on. */
    public enum Axis {
        STEP,
        /** Epoch milliseconds. */
        TIMESTAMP
    }

    private static final SampleQuery DEFAULTS =
        new SampleQuery(0, Algorithm.LTTB, Axis.STEP, Long.MIN_VALUE, Long.MAX_VALUE);

    private final int maxPoints;
    private final Algorithm algorithm;
    private final Axis axis;
    private final long from;
    private final long to;

    private SampleQuery(final int maxPoints, final Algorithm algorithm, final Axis axis, final long from,
                        final long to) {
        this.maxPoints = maxPoints;
        this.algorithm = algorithm;
        this.axis = axis;
        this.from = from;
        this.to = to;
    }

    /** The store's default maximum ({@link StoreOptions#sampleMaxPoints}), LTTB, on steps, every point. */
    public static SampleQuery defaults() {
        return DEFAULTS;
    }

    /** The defaults with at most {@code max} points. @throws InvalidValueException if {@code max < 3} */
    public static SampleQuery ofMax(final int max) {
        return DEFAULTS.withMaxPoints(max);
    }

    /** @throws InvalidValueException if {@code max < 3} */
    public SampleQuery withMaxPoints(final int max) {
        if (max < MIN_MAX_POINTS) {
            throw new InvalidValueException("sampling needs a maximum of at least " + MIN_MAX_POINTS
                + " points (first, last and one bucket), got " + max);
        }
        return new SampleQuery(max, algorithm, axis, from, to);
    }

    public SampleQuery withAlgorithm(final Algorithm algorithm) {
        if (algorithm == null) {
            throw new InvalidValueException("sampling algorithm is null");
        }
        return new SampleQuery(maxPoints, algorithm, axis, from, to);
    }

    public SampleQuery withAxis(final Axis axis) {
        if (axis == null) {
            throw new InvalidValueException("sampling x axis is null");
        }
        return new SampleQuery(maxPoints, algorithm, axis, from, to);
    }

    /**
     * Only the points whose x (step or timestamp, see {@link #withAxis}) is in {@code [from, to]},
     * both ends included, sampled to this query's maximum.
     *
     * @throws InvalidValueException if {@code from > to}
     */
    public SampleQuery withRange(final long from, final long to) {
        if (from > to) {
            throw new InvalidValueException("sampling range is empty: from " + from + " is after to " + to);
        }
        return new SampleQuery(maxPoints, algorithm, axis, from, to);
    }

    /** The maximum, or 0 for the store's default. */
    public int maxPoints() {
        return maxPoints;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public Axis axis() {
        return axis;
    }

    /** First x of the range ({@link Long#MIN_VALUE} when unbounded). */
    public long from() {
        return from;
    }

    /** Last x of the range, included ({@link Long#MAX_VALUE} when unbounded). */
    public long to() {
        return to;
    }

    /** This query with the store's default maximum filled in if it has none. */
    SampleQuery resolve(final int defaultMax) {
        return maxPoints != 0 ? this : new SampleQuery(defaultMax, algorithm, axis, from, to);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SampleQuery q && q.maxPoints == maxPoints && q.algorithm == algorithm && q.axis == axis
            && q.from == from && q.to == to;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxPoints, algorithm, axis, from, to);
    }

    @Override
    public String toString() {
        return "SampleQuery[max=" + (maxPoints == 0 ? "default" : Integer.toString(maxPoints)) + ", " + algorithm
            + ", x=" + axis + (from == Long.MIN_VALUE && to == Long.MAX_VALUE ? "" : ", [" + from + ", " + to + "]")
            + "]";
    }
}
