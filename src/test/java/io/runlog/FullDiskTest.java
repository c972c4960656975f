package io.runlog;

import io.runlog.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A full disk (simulated through the file-system seam) refuses writes with StorageFullException
 * before anything is written, keeps everything acknowledged before, and logging resumes once
 * space is back.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseColdWritesWhenTheDiskIsFullAndResumeAfterwards() {
        final FaultyFileSystem fs = new FaultyFileSystem();
        final StoreOptions options = new StoreOptions().fileSystem(fs).diskReserveBytes(1 << 20);
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.logParameter("before", 1L);
            fs.usableSpace(1000);
            assertThrows(StorageFullException.class, () -> e.logParameter("during", 2L));
            assertThrows(StorageFullException.class, () -> e.logOutput(OutputChannel.STDOUT, "line"));
            assertThrows(StorageFullException.class, () -> e.logItem(ItemType.ASSET, "a", Map.of(), new byte[10]));
            assertThrows(StorageFullException.class, () -> e.metric("new-metric"));
            fs.usableSpace(Long.MAX_VALUE);
            e.logParameter("after", 3L);
            assertEquals(java.util.List.of("before", "after"), java.util.List.copyOf(e.parameters().keySet()));
            assertTrue(e.outputLines().isEmpty());
            assertTrue(e.items().isEmpty());
        }
    }

    @Test
    void shouldFailMetricLoggingOnlyWhenTheRingIsFullAndKeepEveryAcknowledgedPoint() {
        final FaultyFileSystem fs = new FaultyFileSystem();
        final StoreOptions options = new StoreOptions().fileSystem(fs).diskReserveBytes(1 << 20).ringCapacity(64);
        long acknowledged = 0;
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle m = e.metric("m");
            for (int i = 0; i < 100; i++) {
                m.log(acknowledged, acknowledged, acknowledged);
                acknowledged++;
            }
            fs.usableSpace(1000);
            StorageFullException refused = null;
            for (int i = 0; i < 10_000_000 && refused == null; i++) {
                try {
                    m.log(acknowledged, acknowledged, acknowledged);
                    acknowledged++;
                } catch (final StorageFullException ex) {
                    refused = ex;
                }
            }
            assertNotNull(refused, "a full ring on a full disk must refuse points");
            assertTrue(refused.getMessage().contains("full"), refused.getMessage());
            assertThrows(StorageFullException.class, e::metrics, "reads that must drain report it too");
            fs.usableSpace(Long.MAX_VALUE);
            for (int i = 0; i < 100; i++) {
                m.log(acknowledged, acknowledged, acknowledged);
                acknowledged++;
            }
            final MetricSeries s = e.readMetric("m");
            assertEquals(acknowledged, s.size());
            for (int i = 0; i < s.size(); i++) {
                assertEquals(i, s.step(i));
                assertEquals((double) i, s.value(i));
            }
        }
    }
}
