package io.runlog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help and usage output: no picocli warnings, whole summaries, a one-line hint after a usage error. */
class HelpOutputTest {
    /** Runs the command line with System.err captured too (picocli prints its own warnings there). */
    private static CliRunner.Result runCapturingSystemErr(final StringBuilder systemErr, final String... args) {
        final PrintStream saved = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return CliRunner.run(args);
        } finally {
            System.setErr(saved);
            systemErr.append(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldPrintTheDemoHelpWithoutPicocliWarningsAndWithPlainNumbers() {
        final StringBuilder systemErr = new StringBuilder();
        final CliRunner.Result help = runCapturingSystemErr(systemErr, "demo", "--help");
        final CliRunner.Result usage = runCapturingSystemErr(systemErr, "demo", "--steps", "5");
        assertEquals("", systemErr.toString());
        assertFalse(help.out().contains("WARN") || help.err().contains("WARN"), help::toString);
        final String words = help.out().replaceAll("\\s+", " ");
        assertTrue(words.contains("10000 to 10000000"), help::toString);
        assertTrue(words.contains("60% of them"), help::toString);
        assertEquals(2, usage.exit(), usage::toString);
        assertEquals("runlog: error: --steps must be from 10000 to 10000000, got 5\n"
            + "Run 'runlog demo --help' for usage.\n", usage.err(), usage::toString);
    }

    @Test
    void shouldListEveryCommandWithAWholeOneLineSummary() {
        final CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.exit(), r::toString);
        final List<String> summaries = new ArrayList<>();
        boolean inCommands = false;
        for (final String line : r.out().split("\n")) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands) {
                assertTrue(line.matches("  [a-z-]+ +\\S.*"), () -> "a summary wraps onto a second line: '" + line
                    + "'\n" + r.out());
                summaries.add(line.strip());
            }
        }
        assertTrue(summaries.size() >= 12, summaries::toString);
        for (final String s : summaries) {
            assertTrue(s.endsWith("."), () -> "summary cut mid-sentence: " + s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics", "series", "status", "export", "plot", "ingest", "import", "inspect", "verify", "check"})
    void shouldFollowAUsageErrorWithOneHintLineInsteadOfTheWholeHelp(final String name) {
        final CliRunner.Result r = CliRunner.run(name, "--no-such-option");
        assertEquals(2, r.exit(), r::toString);
        final String[] lines = r.err().split("\n");
        assertTrue(lines[0].startsWith("runlog: error: "), r::toString);
        assertEquals("Run 'runlog " + name + " --help' for usage.", lines[lines.length - 1], r::toString);
        assertTrue(lines.length <= 3, r::toString); // the error, perhaps a "did you mean", the hint
        assertFalse(r.err().contains("Usage:"), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void shouldRejectHelpForAnUnknownCommand() {
        final CliRunner.Result r = CliRunner.run("nosuch", "--help");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("runlog: error: Unmatched argument at index 0: 'nosuch'\n"), r::toString);
        assertEquals("", r.out(), r::toString);
        final Supplier<String> why = r::toString;
        final CliRunner.Result typo = CliRunner.run("metric", "--help");
        assertEquals(2, typo.exit(), why);
        assertTrue(typo.err().contains("Did you mean: runlog metrics"), typo::toString);
    }
}
