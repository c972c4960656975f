package io.runlog.lock;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.StoreLockedException;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store lock: one process at a time, and a lock left by a dead process is free at once
 * (the kernel drops a {@code flock} with its holder; there is no stale-lock timeout to sit out).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeadProcessLockTest {
    private static final int POINTS = 10_000;
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldOpenAtOnceAStoreWhoseHolderWasKilled() {
        final Path storeDir = dir.resolve("store");
        final Path marker = dir.resolve("opened");
        try (ChildJvm.Child holder = startHolder(storeDir, marker)) {
            holder.await("marker " + marker, STARTUP, () -> Files.exists(marker));
            holder.killNine();
        }

        final long t0 = System.nanoTime();
        try (RunlogStore store = RunlogStore.open(storeDir)) {
            final long openNanos = System.nanoTime() - t0;
            final long t1 = System.nanoTime();
            try (Experiment e = store.project(StoreHolderChild.PROJECT).openExperiment(StoreHolderChild.KEY)) {
                final long experimentNanos = System.nanoTime() - t1;
                System.out.printf("DeadProcessLockTest: store of a killed holder opened in %.1f ms, its experiment in"
                        + " %.1f ms (%d points recovered from its ring)%n", openNanos / 1e6, experimentNanos / 1e6,
                    e.recoveredPoints());
                assertTrue(openNanos < TimeUnit.SECONDS.toNanos(5), "store open took " + openNanos / 1e6 + " ms");
                // Chronicle's write lock, left held if the kill landed mid-append, must not stall the reopen either.
                assertTrue(experimentNanos < TimeUnit.SECONDS.toNanos(5),
                    "experiment open took " + experimentNanos / 1e6 + " ms");
                final MetricSeries loss = e.readMetric(StoreHolderChild.METRIC);
                assertEquals(POINTS, loss.size());
                for (int i = 0; i < POINTS; i++) {
                    assertEquals(i, loss.step(i));
                    assertEquals(StoreHolderChild.value(i), loss.value(i));
                }
            }
            assertThrows(StoreLockedException.class, () -> RunlogStore.open(storeDir),
                "a second open of a store this process holds");
        }
    }

    @Test
    void shouldRefuseAStoreALiveProcessHolds() {
        final Path storeDir = dir.resolve("store");
        final Path marker = dir.resolve("opened");
        try (ChildJvm.Child holder = startHolder(storeDir, marker)) {
            holder.await("marker " + marker, STARTUP, () -> Files.exists(marker));
            final StoreLockedException e = assertThrows(StoreLockedException.class, () -> RunlogStore.open(storeDir));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
            assertTrue(holder.process().isAlive(), "holder died while the parent tried its store");
            holder.killNine();
        }
        try (RunlogStore store = RunlogStore.open(storeDir)) {
            assertEquals(1, store.project(StoreHolderChild.PROJECT).experimentKeys().size());
        }
    }

    private ChildJvm.Child startHolder(final Path storeDir, final Path marker) {
        return ChildJvm.of(StoreHolderChild.class, dir).args(storeDir, marker, POINTS).start();
    }
}
