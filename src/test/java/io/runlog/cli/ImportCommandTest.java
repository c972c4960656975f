package io.runlog.cli;

import io.runlog.AlreadyExistsException;
import io.runlog.Experiment;
import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import keeps the experiment's creation time (defect 6), can import under another project or
 * key, in the API and in {@code runlog import}, as the conflict message advises (defect 11), and
 * below the disk reserve reports its error once, with {@code --disk-reserve} to set the reserve
 * (defect 5).
 */
class ImportCommandTest {
    /** When the harness created the experiment: long before the import (CliRunner.NOW). */
    private static final long CREATED = 1_600_000_000_000L;

    @TempDir
    Path tmp;
    private Path archive;
    private Path server;

    @BeforeEach
    void export() {
        archive = tmp.resolve("run.rla");
        server = tmp.resolve("server");
        try (RunlogStore s = RunlogStore.open(tmp.resolve("harness"), new StoreOptions().clock(() -> CREATED)
                .diskReserveBytes(0));
             Experiment e = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("run")) {
            for (int i = 0; i < 100; i++) {
                e.log("loss", i, 1.0 / (i + 1));
            }
            e.export(archive);
        }
    }

    private static long createdAt(final Path store, final String project, final String key) {
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.project(project).openExperiment(key)) {
            return e.createdAt();
        }
    }

    @Test
    void shouldKeepTheArchivesCreationTimeInTheApiAndInStatus() {
        final CliRunner.Result r = CliRunner.run("import", "--dir", server.toString(), archive.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(CREATED, createdAt(server, "vision", "run"));
        final CliRunner.Result status = CliRunner.run("status", "--dir", server.toString(), "--project", "vision",
            "--experiment", "run");
        assertTrue(status.out().contains("created:          " + Instant.ofEpochMilli(CREATED)), status::toString);
        assertTrue(status.out().contains("offline:          yes"), status::toString);
    }

    @Test
    void shouldImportUnderAnotherKeyWhenTheArchivesKeyIsTakenThroughTheApi() {
        try (RunlogStore s = RunlogStore.open(server, CliRunner.options())) {
            try (Experiment other = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
                other.log("loss", 0, 42.0); // another origin holds the key
            }
            final AlreadyExistsException conflict = assertThrows(AlreadyExistsException.class, () -> s.importArchive(archive));
            assertTrue(conflict.getMessage().contains("ImportOptions().project(P).key(E)"), conflict.getMessage());
            final ImportResult r = s.importArchive(archive, new ImportOptions().key("run-from-harness"));
            assertEquals("vision", r.project());
            assertEquals("run-from-harness", r.experiment());
            assertTrue(r.createdExperiment());
            assertEquals(100, r.pointsAdded());
            assertEquals(0, s.importArchive(archive, new ImportOptions().key("run-from-harness")).added(),
                "idempotent under the new key too");
            final ImportResult elsewhere = s.importArchive(archive, new ImportOptions().project("uploads").key("r1"));
            assertEquals(100, elsewhere.pointsAdded());
            assertEquals(ProjectKind.EXPERIMENT_MANAGEMENT, s.project("uploads").kind());
            try (Experiment original = s.project("vision").openExperiment("run");
                 Experiment copy = s.project("vision").openExperiment("run-from-harness")) {
                assertEquals(1, original.pointCount(), "the conflicting experiment is untouched");
                assertEquals(100, copy.pointCount());
                assertEquals(CREATED, copy.createdAt());
                assertTrue(copy.isOffline());
            }
        }
    }

    @Test
    void shouldImportUnderAnotherProjectAndKeyFromTheCommandLine() {
        try (RunlogStore s = RunlogStore.open(server, CliRunner.options());
             Experiment other = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
            other.log("loss", 0, 42.0);
        }
        final CliRunner.Result conflict = CliRunner.run("import", "--dir", server.toString(), archive.toString());
        assertEquals(1, conflict.exit(), conflict::toString);
        assertTrue(conflict.err().contains("runlog import --project P --experiment E"), conflict::toString);
        final CliRunner.Result r = CliRunner.run("import", "--dir", server.toString(), "--project", "uploads",
            "--experiment", "run-2", archive.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().startsWith("imported " + archive + " into uploads/run-2 (created): added 100 points"),
            r::toString);
        assertEquals(CREATED, createdAt(server, "uploads", "run-2"));
        final CliRunner.Result bad = CliRunner.run("import", "--dir", server.toString(), "--experiment", "bad key",
            archive.toString());
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("runlog: error: experiment key 'bad key' has ' '"), bad::toString);
    }

    @Test
    void shouldReportAFullDiskOnceAndTakeTheReserveFromTheCommandLine() {
        final CliRunner.Result full = CliRunner.run("import", "--dir", server.toString(), "--disk-reserve", "1000000T",
            archive.toString());
        assertEquals(1, full.exit(), full::toString);
        assertEquals(1, full.err().lines().count(), () -> "the error once:\n" + full);
        assertTrue(full.err().startsWith("runlog: error: disk holding "), full::toString);
        assertTrue(full.err().contains("runlog --disk-reserve"), full::toString);
        final CliRunner.Result ok = CliRunner.run("import", "--dir", server.toString(), "--disk-reserve", "0",
            archive.toString());
        assertEquals(0, ok.exit(), ok::toString);
        final CliRunner.Result typo = CliRunner.run("import", "--dir", server.toString(), "--disk-reserve", "lots",
            archive.toString());
        assertEquals(2, typo.exit(), typo::toString);
        assertTrue(typo.err().contains("expected a byte count such as 0, 1048576, 512K, 64M or 2G, got 'lots'"),
            typo::toString);
    }

    @Test
    void shouldNotOfferADirectoryOptionToTheArchiveOnlyCommands() {
        for (final String command : new String[] {"inspect", "verify"}) {
            final CliRunner.Result help = CliRunner.run(command, "--help");
            assertFalse(help.out().contains("--dir"), help::toString);
            final CliRunner.Result r = CliRunner.run(command, "--dir", server.toString(), archive.toString());
            assertEquals(2, r.exit(), r::toString);
            assertFalse(Files.exists(server));
        }
    }
}
