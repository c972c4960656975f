package io.runlog.sample;

import io.runlog.MetricSeries;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers: in-memory metric series and the sources that serve them. */
final class Series {
    private Series() {
    }

    static MetricSeries of(final long[] steps, final long[] timestamps, final long[] bits) {
        return new MetricSeries("m", steps.length, steps, timestamps, bits);
    }

    /** Points {@code [from, to)} of a series. */
    static MetricSeries slice(final MetricSeries s, final int from, final int to) {
        return new MetricSeries(s.name(), to - from, Arrays.copyOfRange(s.steps(), from, to),
            Arrays.copyOfRange(s.timestamps(), from, to), Arrays.copyOfRange(s.valueBitsArray(), from, to));
    }

    /** A source serving the first {@code visible[0]} points of {@code s}. */
    static SampleCache.Source growing(final MetricSeries s, final int[] visible) {
        return first -> slice(s, (int) Math.min(first, visible[0]), visible[0]);
    }

    static SampleCache.Source whole(final MetricSeries s) {
        return first -> slice(s, (int) Math.min(first, s.size()), s.size());
    }

    static void assertSameSeries(final MetricSeries expected, final MetricSeries actual, final String what) {
        assertEquals(expected.size(), actual.size(), what);
        assertArrayEquals(Arrays.copyOf(expected.steps(), expected.size()), Arrays.copyOf(actual.steps(), actual.size()), what);
        assertArrayEquals(Arrays.copyOf(expected.timestamps(), expected.size()),
            Arrays.copyOf(actual.timestamps(), actual.size()), what);
        assertArrayEquals(Arrays.copyOf(expected.valueBitsArray(), expected.size()),
            Arrays.copyOf(actual.valueBitsArray(), actual.size()), what);
    }
}
