package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** {@code runlog export}, {@code import}, {@code inspect} and {@code verify}, with good and bad inputs. */
class ArchiveCommandsTest {
    @TempDir
    Path tmp;
    private Path source;
    private Path archive;

    @BeforeEach
    void populate() {
        source = tmp.resolve("source");
        archive = tmp.resolve("run.rla");
        try (RunlogStore s = RunlogStore.open(source, CliRunner.options());
             Experiment e = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run-1")) {
            for (int i = 0; i < 1000; i++) {
                e.log("loss", i, i * 10L, Math.round(10_000.0 / (i + 1)) / 1e3);
            }
            e.log("lr", 0, 3e-4);
            e.logParameter("lr", 3e-4);
            e.logItem(io.runlog.ItemType.IMAGE, "a.png", java.util.Map.of(), new byte[] {1, 2, 3});
        }
    }

    private CliRunner.Result export() {
        return CliRunner.run("export", "--dir", source.toString(), "--project", "vision", "--experiment", "run-1",
            "-o", archive.toString());
    }

    @Test
    void shouldExportImportInspectAndVerify() {
        final CliRunner.Result exported = export();
        assertEquals(0, exported.exit(), exported::toString);
        assertTrue(exported.err().startsWith("exported vision/run-1 to " + archive + ": 1,001 points, 2 other entries"),
            exported.err());
        final CliRunner.Result verified = CliRunner.run("verify", archive.toString());
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.out().startsWith(archive + ": ok (vision/run-1, "), verified.out());
        final CliRunner.Result inspected = CliRunner.run("inspect", archive.toString());
        assertEquals(0, inspected.exit(), inspected::toString);
        assertTrue(inspected.out().contains("\nexperiment,run-1\n"), inspected.out());
        assertTrue(inspected.out().contains("\nmetric:loss,1000\n"), inspected.out());
        assertTrue(inspected.out().contains("\npoints,1001\n"), inspected.out());
        assertTrue(inspected.out().contains("\nparameter_values,1\n"), inspected.out());
        assertTrue(inspected.out().contains("\nitems,1\nitems:IMAGE,1\n"), inspected.out());
        assertTrue(inspected.out().contains("\nchecksums,ok\n"), inspected.out());
        assertTrue(inspected.out().contains("\nbytes_per_point,"), inspected.out());
        final Path target = tmp.resolve("target");
        final CliRunner.Result imported = CliRunner.run("import", "--dir", target.toString(), archive.toString());
        assertEquals(0, imported.exit(), imported::toString);
        assertEquals("imported " + archive + " into vision/run-1 (created): added 1,001 points and 2 other entries, "
            + "skipped 0 points and 0 other entries already present\n", imported.err());
        final CliRunner.Result again = CliRunner.run("import", "--dir", target.toString(), archive.toString());
        assertEquals("imported " + archive + " into vision/run-1: added 0 points and 0 other entries, "
            + "skipped 1,001 points and 2 other entries already present\n", again.err());
        final CliRunner.Result series = CliRunner.run("series", "--dir", target.toString(), "--project", "vision",
            "--experiment", "run-1", "--metric", "loss");
        final CliRunner.Result original = CliRunner.run("series", "--dir", source.toString(), "--project", "vision",
            "--experiment", "run-1", "--metric", "loss");
        assertEquals(original.out(), series.out());
    }

    @Test
    void shouldReportADamagedArchiveInVerifyInspectAndImport() throws Exception {
        assertEquals(0, export().exit());
        final byte[] b = Files.readAllBytes(archive);
        b[b.length / 2] ^= 1;
        Files.write(archive, b);
        final CliRunner.Result verified = CliRunner.run("verify", archive.toString());
        assertEquals(1, verified.exit());
        assertTrue(verified.err().startsWith("runlog: error: archive " + archive + ": CRC32C mismatch"), verified.err());
        assertTrue(verified.err().contains("at byte offset"), verified.err());
        final CliRunner.Result inspected = CliRunner.run("inspect", archive.toString());
        assertEquals(1, inspected.exit());
        assertTrue(inspected.out().contains("\nexperiment,run-1\n"), "what was read before the damage: " + inspected.out());
        assertTrue(inspected.out().contains("\nchecksums,failed\n"), inspected.out());
        final Path target = tmp.resolve("target");
        final CliRunner.Result imported = CliRunner.run("import", "--dir", target.toString(), archive.toString());
        assertEquals(1, imported.exit());
        assertTrue(imported.err().startsWith("runlog: error: archive " + archive + ": CRC32C mismatch"), imported.err());
        try (RunlogStore s = RunlogStore.open(target, CliRunner.options())) {
            assertTrue(s.projects().isEmpty());
        }
    }

    @Test
    void shouldReportATruncatedArchiveAsTruncated() throws Exception {
        assertEquals(0, export().exit());
        final byte[] b = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(b, b.length - 5));
        final CliRunner.Result verified = CliRunner.run("verify", archive.toString());
        assertEquals(1, verified.exit());
        assertTrue(verified.err().contains("truncated"), verified.err());
    }

    @Test
    void shouldImportTheGoodArchivesAndReportTheBadOnes() throws Exception {
        assertEquals(0, export().exit());
        final Path notAnArchive = tmp.resolve("notes.txt");
        Files.writeString(notAnArchive, "hello, this is not an archive at all");
        final Path missing = tmp.resolve("missing.rla");
        final CliRunner.Result r = CliRunner.run("import", "--dir", tmp.resolve("target").toString(),
            notAnArchive.toString(), missing.toString(), archive.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("runlog: error: archive " + notAnArchive + ": not a Runlog archive"), r.err());
        assertTrue(r.err().contains("runlog: error: archive " + missing + " does not exist"), r.err());
        assertTrue(r.err().contains("imported " + archive + " into vision/run-1 (created)"), r.err());
    }

    @Test
    void shouldRejectBadExportRequests() {
        final CliRunner.Result noExperiment = CliRunner.run("export", "--dir", source.toString(), "--project", "vision",
            "--experiment", "nope", "-o", archive.toString());
        assertEquals(1, noExperiment.exit());
        assertEquals("runlog: error: project 'vision' has no experiment 'nope'\n", noExperiment.err());
        final CliRunner.Result noDirectory = CliRunner.run("export", "--dir", source.toString(), "--project", "vision",
            "--experiment", "run-1", "-o", tmp.resolve("no/such/dir/x.rla").toString());
        assertEquals(1, noDirectory.exit());
        assertTrue(noDirectory.err().contains("does not exist"), noDirectory.err());
        final CliRunner.Result toDirectory = CliRunner.run("export", "--dir", source.toString(), "--project", "vision",
            "--experiment", "run-1", "-o", tmp.toString());
        assertEquals(1, toDirectory.exit());
        assertTrue(toDirectory.err().contains("is a directory"), toDirectory.err());
        final CliRunner.Result noOutput = CliRunner.run("export", "--dir", source.toString(), "--experiment", "run-1");
        assertEquals(2, noOutput.exit());
        final CliRunner.Result noFiles = CliRunner.run("import", "--dir", source.toString());
        assertEquals(2, noFiles.exit());
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void shouldDrawAProgressBarOfFixedWidth() {
        assertEquals("f [####################                    ] 50/100 points",
            ImportCommand.ProgressBar.render("f", 20, 50, 100));
    }
}
