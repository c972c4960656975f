package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's crash: a harness JVM killed with SIGKILL loses nothing it acknowledged. */
class HarnessProcessTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedPointOfAHarnessKilledWithSigkill() {
        final long steps = 400_000;
        final List<Long> acks = new ArrayList<>();
        final HarnessProcess.Killed killed = HarnessProcess.runAndKill(dir.resolve("store"), "demo", "run", steps,
            100_000, dir.resolve("harness.log"), acks::add);
        assertTrue(killed.lastAckedStep() >= 100_000, "killed after step 100,000 was acknowledged");
        assertTrue(killed.lastAckedStep() < steps - 1, "killed before the end: " + killed);
        assertNotEquals(0, killed.exitCode(), "a SIGKILLed process exits with a signal status");
        assertEquals(acks.get(acks.size() - 1), killed.lastAckedStep());
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), new StoreOptions().diskReserveBytes(0));
             Experiment e = store.project("demo").openExperiment("run")) {
            assertTrue(e.isOffline());
            final DemoSignals signals = new DemoSignals(steps, 20240517L);
            for (int m = 0; m < DemoSignals.METRICS.length; m++) {
                final MetricSeries s = e.readMetric(DemoSignals.METRICS[m]);
                final int acked = (int) killed.lastAckedStep() + 1;
                assertTrue(s.size() >= acked, DemoSignals.METRICS[m] + ": " + s.size() + " points, " + acked + " acknowledged");
                final double[] expected = new double[acked];
                signals.fill(m, 0, acked, expected);
                for (int i = 0; i < acked; i++) {
                    assertEquals(i, s.step(i));
                    assertEquals(Double.doubleToRawLongBits(expected[i]), s.valueBits(i), "metric " + m + " step " + i);
                }
            }
        }
    }
}
