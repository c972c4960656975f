package io.runlog.cli;

import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same bad inputs, across every command that reads a store: one clear line, exit 1, nothing created. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    /** The command's required arguments besides --dir and --experiment. */
    private List<String> command(final String name, final String dir, final String experiment) {
        final List<String> args = new ArrayList<>(List.of(name, "--dir", dir));
        switch (name) {
            case "series" -> args.addAll(List.of("--experiment", experiment, "--metric", "loss"));
            case "plot" -> args.addAll(List.of("--experiment", experiment, "--metric", "loss", "-o",
                tmp.resolve("out.png").toString()));
            case "export" -> args.addAll(List.of("--experiment", experiment, "-o", tmp.resolve("out.rla").toString()));
            case "stats" -> { }
            default -> args.addAll(List.of("--experiment", experiment));
        }
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics", "series", "status", "plot", "export", "stats"})
    void shouldReportAMissingStoreWithoutCreatingIt(final String name) {
        final Path missing = tmp.resolve("no-store");
        final CliRunner.Result r = CliRunner.run(command(name, missing.toString(), "e").toArray(new String[0]));
        assertEquals(1, r.exit(), r::toString);
        assertEquals("runlog: error: no store at " + missing + " (no such directory)\n", r.err(), r::toString);
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(tmp.resolve("out.png")));
        assertFalse(Files.exists(tmp.resolve("out.rla")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics", "series", "status", "plot", "export"})
    void shouldReportAnUnknownExperiment(final String name) {
        final Path store = tmp.resolve("store");
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options())) {
            s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT);
        }
        final CliRunner.Result r = CliRunner.run(command(name, store.toString(), "nope").toArray(new String[0]));
        assertEquals(1, r.exit(), r::toString);
        assertEquals("runlog: error: project 'default' has no experiment 'nope'\n", r.err(), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics", "series", "status", "plot", "export", "stats", "import", "inspect", "verify",
        "ingest", "demo", "check"})
    void shouldRejectAnUnknownOptionAsAUsageErrorAndPrintHelpOnRequest(final String name) {
        final CliRunner.Result bad = CliRunner.run(name, "--no-such-option");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("runlog: error: "), bad::toString);
        final CliRunner.Result help = CliRunner.run(name, "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().startsWith("Usage: runlog " + name), help::toString);
    }
}
