package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;

/**
 * Step 2 of {@code runlog demo}: reopens the killed harness's store and checks every point it
 * holds against {@link DemoSignals}, bit for bit, and that every acknowledged step is there.
 */
final class DemoVerification {
    private static final int CHUNK = 65_536;

    private DemoVerification() {
    }

    /**
     * @return {recovered points, points held}
     * @throws CliException naming the first point that differs or is missing
     */
    static long[] reopenAndVerify(final Path storeDir, final StoreOptions options, final String project,
                                  final String key, final long steps, final long seed, final long ackedSteps) {
        try (RunlogStore runlog = RunlogStore.open(storeDir, options);
             Experiment run = runlog.project(project).openExperiment(key)) {
            final DemoSignals signals = new DemoSignals(steps, seed);
            final double[] expected = new double[CHUNK];
            long held = 0;
            for (int m = 0; m < DemoSignals.METRICS.length; m++) {
                final String name = DemoSignals.METRICS[m];
                final MetricSeries series = run.readMetric(name);
                if (series.size() < ackedSteps) {
                    throw new CliException("lost points: metric " + name + " holds " + series.size() + " points, "
                        + ackedSteps + " steps were acknowledged");
                }
                final long[] stepArray = series.steps();
                final long[] bits = series.valueBitsArray();
                for (int from = 0; from < series.size(); from += CHUNK) {
                    final int n = Math.min(CHUNK, series.size() - from);
                    signals.fill(m, from, n, expected);
                    for (int i = 0; i < n; i++) {
                        final int at = from + i;
                        final long want = Double.doubleToRawLongBits(expected[i]);
                        if (stepArray[at] != at || bits[at] != want) {
                            throw new CliException("read-back mismatch: metric " + name + " point " + at + " is step "
                                + stepArray[at] + " value " + DoubleText.formatBits(bits[at]) + ", logged step " + at
                                + " value " + DoubleText.formatBits(want));
                        }
                    }
                }
                held += series.size();
            }
            return new long[]{run.recoveredPoints(), held};
        }
    }
}
