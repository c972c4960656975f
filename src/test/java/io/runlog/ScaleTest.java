package io.runlog;

import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A project of 25,000 experiments opens, logs to and reads any of them with a bounded number of
 * open files and mappings: experiments no caller holds are kept in a bounded LRU.
 */
class ScaleTest {
    private static final int EXPERIMENTS = 25_000;
    private static final int MAX_IDLE = 8;

    @TempDir
    Path dir;

    @Test
    void shouldServe25000ExperimentsWithBoundedOpenFilesAndMappings() throws Exception {
        final long seed = TestSeed.of("ScaleTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final StoreOptions options = new StoreOptions().maxIdleExperiments(MAX_IDLE).diskReserveBytes(0);
        final long t0 = System.nanoTime();
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project p = store.createProject("big", ProjectKind.EXPERIMENT_MANAGEMENT);
            for (int i = 0; i < EXPERIMENTS; i++) {
                // creating does not open: no journal, no ring, no descriptor until first use
                store.engine().createExperiment("big", key(i), false);
            }
            System.out.printf("created %d experiments in %d ms%n", EXPERIMENTS, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(EXPERIMENTS, p.experimentKeys().size());
            final int baselineFds = openDescriptors();
            int maxFds = 0;
            int maxMaps = 0;
            for (int round = 0; round < 300; round++) {
                final int i = random.nextInt(EXPERIMENTS);
                try (Experiment e = p.openExperiment(key(i))) {
                    e.metric("loss").log(round, i);
                    e.logParameter("round", (long) round);
                }
                assertTrue(store.engine().openExperimentCount() <= MAX_IDLE);
                maxFds = Math.max(maxFds, openDescriptors() - baselineFds);
                maxMaps = Math.max(maxMaps, mappingsUnder(dir));
            }
            System.out.printf("extra descriptors <= %d, mappings of store files <= %d over 300 random experiments%n",
                maxFds, maxMaps);
            assertTrue(maxFds <= MAX_IDLE * 6 + 16, "descriptors grew to " + maxFds);
            assertTrue(maxMaps <= MAX_IDLE * 6 + 4, "mappings grew to " + maxMaps);
        }
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project p = store.project("big");
            final SplittableRandom replay = new SplittableRandom(seed);
            long points = 0;
            for (int round = 0; round < 300; round++) {
                final int i = replay.nextInt(EXPERIMENTS);
                try (Experiment e = p.openExperiment(key(i))) {
                    final MetricSeries s = e.readMetric("loss");
                    assertTrue(s.size() >= 1);
                    points += s.size() == 0 ? 0 : 1;
                }
            }
            assertEquals(300, points);
        }
    }

    private static String key(final int i) {
        return "exp-" + i;
    }

    private static int openDescriptors() throws IOException {
        final Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.count();
        }
    }

    private static int mappingsUnder(final Path root) throws IOException {
        final Path maps = Path.of("/proc/self/maps");
        if (!Files.exists(maps)) {
            return 0;
        }
        final String prefix = root.toAbsolutePath().toString();
        final List<String> lines = Files.readAllLines(maps);
        return (int) lines.stream().filter(l -> l.contains(prefix)).count();
    }
}
