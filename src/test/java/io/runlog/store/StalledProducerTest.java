package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.ClosedException;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A producer that claimed a ring slot and never commits it (a thread suspended mid-call) cannot
 * hang close forever: after closeTimeoutMillis, measured on the injected clock, close fails with
 * a typed error, keeps the ring file, and the next open recovers every committed point.
 */
class StalledProducerTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveUpOnAStalledProducerAfterTheTimeoutAndRecoverEverythingElse() {
        // Every reading of the clock moves it 1 ms on: the 50 ms timeout expires after ~50 polls.
        final AtomicLong nanos = new AtomicLong();
        final StoreOptions options = new StoreOptions().diskReserveBytes(0).backgroundDrain(false)
            .closeTimeoutMillis(50).nanoClock(() -> nanos.addAndGet(1_000_000));
        final RunlogStore store = RunlogStore.open(dir, options);
        final Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
        final MetricHandle m = e.metric("m");
        m.log(0, 0, 0.0);
        m.log(1, 1, 1.0);
        final PointRing ring = StoreAccess.engine(store).acquire(StoreAccess.engine(store).experimentHeader("p", "e")).ring();
        final long stalled = ring.tryClaim(); // claimed, never committed: the stalled producer
        assertEquals(2, stalled);
        m.log(3, 3, 3.0); // committed after the stalled slot

        final StoreAccessException failure = assertThrows(StoreAccessException.class, store::close);
        assertTrue(failure.getMessage().contains("claimed but not committed within 50 ms"), failure.getMessage());
        assertThrows(ClosedException.class, () -> m.log(4, 4, 4.0));
        final Path ringFile = dir.resolve("projects/p/experiments/e/points.ring");
        assertTrue(Files.exists(ringFile), "the ring is kept for recovery");

        try (RunlogStore reopened = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment again = reopened.project("p").openExperiment("e")) {
            assertEquals(1, again.recoveredPoints(), "the point committed after the stalled slot");
            final io.runlog.MetricSeries s = again.readMetric("m");
            assertEquals(3, s.size());
            assertEquals(0, s.step(0));
            assertEquals(1, s.step(1));
            assertEquals(3, s.step(2));
            assertFalse(Files.exists(ringFile));
        }
    }
}
