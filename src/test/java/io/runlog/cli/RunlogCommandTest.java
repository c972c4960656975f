package io.runlog.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunlogCommandTest {
    @Test
    void shouldListEveryCommandInTopLevelHelp() {
        final CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.exit());
        for (final String command : new String[] {"ingest", "metrics", "series", "stats", "status", "plot", "demo", "help"}) {
            assertTrue(r.out().contains("\n  " + command + " "), () -> command + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("Exit status: 0 success, 1 error, 2 usage error."), r.out());
    }

    @Test
    void shouldPrintHelpOfACommandThroughTheHelpCommand() {
        final CliRunner.Result r = CliRunner.run("help", "ingest");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: runlog ingest"), r.out());
    }

    @Test
    void shouldPrintAVersion() {
        final CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("runlog "), r.out());
    }

    @Test
    void shouldExitWithUsageErrorWithoutACommand() {
        final CliRunner.Result r = CliRunner.run();
        assertEquals(2, r.exit());
        assertEquals("runlog: error: missing command\nRun 'runlog --help' for usage.\n", r.err(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void shouldSuggestTheClosestCommandForATypo() {
        final CliRunner.Result r = CliRunner.run("metric");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Unmatched argument at index 0: 'metric'\n"), r::toString);
        assertTrue(r.err().contains("Did you mean: runlog metrics"), r::toString);
    }

    @Test
    void shouldRejectAnUnknownTopLevelOption() {
        final CliRunner.Result r = CliRunner.run("--bogus");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Unknown option: '--bogus'"), r::toString);
    }
}
