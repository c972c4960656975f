package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsCommandTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private void populate() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run-1")) {
            e.log("loss", 0, 1.0);
            e.log("loss", 1, 0.5);
            e.log("acc, top-1", 0, 0.1);
            e.log("lr", 0, 3e-4);
            e.log("lr", 0, 3e-4);
            e.log("lr", 0, 3e-4);
        }
    }

    @Test
    void shouldListMetricsInDefinitionOrderWithCountsAsCsv() {
        populate();
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString(), "--project", "vision",
            "--experiment", "run-1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("metric,count\nloss,2\n\"acc, top-1\",1\nlr,3\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void shouldReportAMissingStoreWithoutCreatingIt() {
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString(), "--experiment", "run-1");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: no store at " + store() + " (no such directory)\n", r.err());
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportADirectoryThatIsNoStoreWithoutTouchingIt() throws Exception {
        Files.createDirectories(store());
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString(), "--experiment", "run-1");
        assertEquals("runlog: error: no store at " + store() + " (the directory holds no runlog-store.properties)\n", r.err());
        assertEquals(1, r.exit());
        try (var files = Files.list(store())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void shouldReportAnUnknownProject() {
        populate();
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString(), "--experiment", "run-1");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: store " + store().toAbsolutePath() + " has no project 'default'\n", r.err());
    }

    @Test
    void shouldReportAnUnknownExperiment() {
        populate();
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString(), "--project", "vision",
            "--experiment", "run-2");
        assertEquals(1, r.exit());
        assertEquals("runlog: error: project 'vision' has no experiment 'run-2'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void shouldRequireTheExperimentOption() {
        final CliRunner.Result r = CliRunner.run("metrics", "--dir", store().toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Missing required option: '--experiment=E'\n"), r::toString);
        assertTrue(r.err().contains("Run 'runlog metrics --help' for usage."), r::toString);
    }

    @Test
    void shouldPrintHelp() {
        final CliRunner.Result r = CliRunner.run("metrics", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--dir=DIR"), r.out());
        assertTrue(r.out().contains("Store directory (default: ./runlog-data)"), r.out());
    }
}
