package io.runlog;

/**
 * A metric's full series in arrival order, on primitive arrays. Values are kept as raw IEEE 754
 * bits, so NaN payloads, both infinities, -0.0 and subnormals read back exactly as logged.
 *
 * <p>The arrays are owned by this object and are not copied by the accessors; treat them as
 * read-only.
 */
public final class MetricSeries {
    private final String name;
    private final int size;
    private final long[] steps;
    private final long[] timestamps;
    private final long[] valueBits;

    public MetricSeries(final String name, final int size, final long[] steps, final long[] timestamps,
                        final long[] valueBits) {
        this.name = name;
        this.size = size;
        this.steps = steps;
        this.timestamps = timestamps;
        this.valueBits = valueBits;
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public long step(final int i) {
        return steps[check(i)];
    }

    public long timestamp(final int i) {
        return timestamps[check(i)];
    }

    public double value(final int i) {
        return Double.longBitsToDouble(valueBits[check(i)]);
    }

    /** The value's raw bits, exactly as logged. */
    public long valueBits(final int i) {
        return valueBits[check(i)];
    }

    /** The backing array of steps; valid indices are {@code [0, size())}. */
    public long[] steps() {
        return steps;
    }

    /** The backing array of timestamps; valid indices are {@code [0, size())}. */
    public long[] timestamps() {
        return timestamps;
    }

    /** The backing array of value bits; valid indices are {@code [0, size())}. */
    public long[] valueBitsArray() {
        return valueBits;
    }

    private int check(final int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " outside series '" + name + "' of " + size + " points");
        }
        return i;
    }

    @Override
    public String toString() {
        return "MetricSeries[" + name + ", " + size + " points]";
    }
}
