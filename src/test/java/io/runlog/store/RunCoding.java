package io.runlog.store;

import io.runlog.codec.ValueMode;

/** Test helper: a run's value coding as the catalog keeps it, as text ("XOR", "DECIMAL 4", "BITS", "FLOAT32"). */
final class RunCoding {
    private RunCoding() {
    }

    static String of(final MetricExtents extents, final int i) {
        final int mode = extents.valueMode(i);
        return ValueMode.journalName(mode) + (mode == ValueMode.JOURNAL_DECIMAL ? " " + extents.valueExponent(i) : "");
    }
}
