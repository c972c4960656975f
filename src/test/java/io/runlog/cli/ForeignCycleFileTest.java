package io.runlog.cli;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal cycle file replaced by other bytes (an archive exported over it by a mistyped
 * {@code -o}, a restore gone wrong): Chronicle throws an undeclared {@code StreamCorruptedException}
 * from its appender; the store must answer with a typed {@link CorruptStoreException} naming the
 * journal, and {@code runlog check} must report it as damage and go on with the other experiments.
 */
class ForeignCycleFileTest {
    @TempDir
    Path dir;

    private Path cycleFileOf(final String key) throws Exception {
        try (var files = Files.list(dir.resolve("projects/p/experiments/" + key + "/journal"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    @Test
    void aCycleFileOverwrittenWithOtherBytesIsACorruptStoreAndCheckGoesOn() throws Exception {
        try (RunlogStore store = RunlogStore.open(dir, CliRunner.options())) {
            for (final String key : new String[] {"bad", "good"}) {
                try (Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment(key)) {
                    for (int i = 0; i < 100; i++) {
                        e.log("loss", i, i);
                    }
                }
            }
        }
        final Path cycle = cycleFileOf("bad");
        final byte[] foreign = new byte[4096];
        Arrays.fill(foreign, (byte) 7);
        System.arraycopy("RUNLOGAR".getBytes(StandardCharsets.US_ASCII), 0, foreign, 0, 8);
        Files.write(cycle, foreign);
        try (RunlogStore store = RunlogStore.open(dir, CliRunner.options())) {
            final CorruptStoreException e = assertThrows(CorruptStoreException.class,
                () -> store.project("p").openExperiment("bad"));
            assertTrue(e.getMessage().contains(cycle.getParent().toString()), e.getMessage());
            try (Experiment good = store.project("p").openExperiment("good")) {
                assertEquals(100, good.readMetric("loss").size(), "the other experiment is untouched");
            }
        }
        final CliRunner.Result r = CliRunner.run("check", "--dir", dir.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("DAMAGE p/bad"), r::toString);
        assertTrue(r.out().contains("p/good: ok"), "the other experiments are still checked: " + r);
        assertFalse((r.out() + r.err()).contains("java.io."), "a typed error, not Chronicle's exception: " + r);
    }
}
