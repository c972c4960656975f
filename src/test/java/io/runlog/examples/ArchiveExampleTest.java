package io.runlog.examples;

import io.runlog.Experiment;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README's archive example ({@link DocExamplesTest} checks the quote) and checks what it did. */
class ArchiveExampleTest {
    @TempDir
    Path dir;

    @Test
    void archiveExampleMovesAnOfflineExperimentToAServerOnce() {
        ArchiveExample.archive(dir.resolve("harness"), dir.resolve("server"), dir.resolve("run.rla"));
        try (RunlogStore server = RunlogStore.open(dir.resolve("server"));
             Experiment e = server.project("vision").openExperiment("resnet50-seed1")) {
            assertEquals(1, e.pointCount());
            assertTrue(e.isOffline());
        }
    }
}
