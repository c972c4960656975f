package io.runlog.archive;

import io.runlog.testing.TestSeed;
import io.runlog.Experiment;
import io.runlog.ImportResult;
import io.runlog.ItemType;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.RunlogStore;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resumable import: a child JVM importing an archive is SIGKILLed after a random number of
 * blocks (sometimes twice in a row), the import is run again, and the store must end exactly as
 * after one clean import: every stream equal to the reference, nothing duplicated. Between the
 * kill and the rerun, every metric of the target must be a prefix of the reference's (nothing
 * out of order, nothing duplicated even in the interrupted state). The seed is printed;
 * {@code -Drunlog.test.seed=S} replays, {@code -Drunlog.archive.kills=N} sets the rounds.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ImportCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldEndExactlyAsOneCleanImportAfterKillNineAndRerun() {
        final long seed = TestSeed.of("ImportCrashTest");
        final int rounds = Integer.getInteger("runlog.archive.kills", 4);
        System.out.println("ImportCrashTest seed=" + seed + " rounds=" + rounds);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 400_000, 0);
            try (Experiment e = source.project("llm").openExperiment("run")) {
                for (int i = 0; i < 300; i++) {
                    e.logOutput(OutputChannel.STDOUT, "line " + i);
                }
                for (int i = 0; i < 60; i++) {
                    e.logItem(ItemType.IMAGE, "image-" + i, Map.of("i", Integer.toString(i)),
                        ("payload " + i).repeat(100 + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            source.exportExperiment("llm", "run", archive);
        }
        final Path referenceDir = dir.resolve("reference");
        final long blocks;
        final long entries;
        try (RunlogStore reference = ArchiveFixtures.open(referenceDir)) {
            final long[] n = {0};
            entries = ArchiveImporter.importArchive(reference, archive, (d, t) -> n[0]++).added();
            blocks = n[0];
        }
        int midImport = 0;
        for (int round = 0; round < rounds; round++) {
            final Path target = dir.resolve("target-" + round);
            final int kills = random.nextInt(3) == 0 ? 2 : 1;
            for (int k = 0; k < kills; k++) {
                final long after = 1 + random.nextLong(blocks - 1);
                try (ChildJvm.Child child = ChildJvm.of(ImportChild.class, dir.resolve("child-" + round + "-" + k))
                    .args(target, archive).start()) {
                    child.await("block " + after, Duration.ofMinutes(2),
                        () -> child.output().contains("block " + after + "\n") || child.output().contains("done"));
                    child.killNine();
                    if (!child.output().contains("done")) {
                        midImport++;
                    }
                }
                assertPrefixesOfReference(referenceDir, target, "round " + round + " kill " + k + " after block " + after
                    + " (seed " + seed + ")");
            }
            try (RunlogStore store = ArchiveFixtures.open(target)) {
                final ImportResult r = store.importArchive(archive);
                assertEquals(entries, r.added() + r.skipped());
            }
            try (RunlogStore reference = ArchiveFixtures.open(referenceDir);
                 RunlogStore store = ArchiveFixtures.open(target);
                 Experiment a = reference.project("llm").openExperiment("run");
                 Experiment b = store.project("llm").openExperiment("run")) {
                ArchiveFixtures.assertSameContent(a, b);
            }
        }
        System.out.println("ImportCrashTest: " + midImport + " kills landed mid-import");
        assertTrue(midImport > 0, "no kill landed during an import (seed " + seed + ")");
    }

    private static void assertPrefixesOfReference(final Path referenceDir, final Path target, final String what) {
        try (RunlogStore reference = ArchiveFixtures.open(referenceDir);
             RunlogStore store = ArchiveFixtures.open(target)) {
            if (store.projects().isEmpty() || store.project("llm").experimentKeys().isEmpty()) {
                return;
            }
            try (Experiment a = reference.project("llm").openExperiment("run");
                 Experiment b = store.project("llm").openExperiment("run")) {
                for (final MetricInfo m : b.metrics()) {
                    final MetricSeries ref = a.readMetric(m.name());
                    final MetricSeries got = b.readMetric(m.name());
                    assertTrue(got.size() <= ref.size(), what + ": metric " + m.name() + " has " + got.size() + " > "
                        + ref.size() + " points");
                    assertArrayEquals(Arrays.copyOf(ref.valueBitsArray(), got.size()),
                        Arrays.copyOf(got.valueBitsArray(), got.size()), what + ": " + m.name());
                    assertArrayEquals(Arrays.copyOf(ref.steps(), got.size()), Arrays.copyOf(got.steps(), got.size()), what);
                }
                final var items = b.items();
                assertEquals(a.items().subList(0, items.size()), items, what);
                final var lines = b.outputLines();
                assertEquals(a.outputLines().subList(0, lines.size()), lines, what);
            }
        }
    }
}
