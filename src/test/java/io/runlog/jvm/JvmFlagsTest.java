package io.runlog.jvm;

import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM flags: {@code runlog jvm-flags} prints exactly the flags the build uses (an argument
 * file), a JVM started without them fails with {@code MissingJvmFlagsException} naming them
 * before anything is created, and the same program started with {@code java @file} then works
 * (no half-created experiment in the way).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JvmFlagsTest {
    @TempDir
    Path dir;

    private static String jvmFlags(final String... more) {
        final StringWriter out = new StringWriter();
        final picocli.CommandLine cli = io.runlog.cli.RunlogCommand.commandLine(new io.runlog.cli.RunlogCommand());
        cli.setOut(new PrintWriter(out, true));
        final String[] args = new String[more.length + 1];
        args[0] = "jvm-flags";
        System.arraycopy(more, 0, args, 1, more.length);
        assertEquals(0, cli.execute(args));
        return out.toString();
    }

    @Test
    void shouldPrintTheFlagsTheBuildUsesAsAnArgumentFileAndOnOneLine() throws IOException {
        final String file = jvmFlags();
        final List<String> flags = file.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(new HashSet<>(ChildJvm.requiredJvmFlags()), new HashSet<>(flags));
        assertEquals(flags.size(), new HashSet<>(flags).size(), "no flag twice");
        assertEquals(String.join(" ", flags) + "\n", jvmFlags("--line"));
        final Path shipped = Path.of("target/runlog-jvm.args");
        assertTrue(Files.isRegularFile(shipped), "the build writes target/runlog-jvm.args");
        final List<String> shippedFlags = Files.readAllLines(shipped).stream().filter(l -> !l.startsWith("#"))
            .flatMap(l -> Arrays.stream(l.trim().split("\\s+"))).filter(s -> !s.isEmpty()).toList();
        assertEquals(new HashSet<>(flags), new HashSet<>(shippedFlags));
    }

    @Test
    void shouldNameTheMissingFlagsBeforeCreatingAnythingAndWorkWithTheArgumentFile() throws IOException {
        final Path store = dir.resolve("store");
        final int exit;
        final String output;
        try (ChildJvm.Child child = ChildJvm.of(FlagsProbeChild.class, dir.resolve("bare")).withoutRunlogFlags()
            .args(store).start()) {
            exit = child.awaitExit(Duration.ofMinutes(1));
            output = child.output();
        }
        assertEquals(3, exit, output);
        for (final String flag : ChildJvm.requiredJvmFlags()) {
            if (flag.contains("=java.base/")) { // jdk.unsupported exports sun.misc anyway; jdk.compiler may be absent
                assertTrue(output.contains(flag), () -> flag + " not named:\n" + output);
            }
        }
        assertTrue(output.contains("java @runlog-jvm.args"), output);
        assertFalse(output.contains("AssertionError"), output);
        assertFalse(Files.exists(store), "nothing may be created without the flags");

        final Path args = Files.writeString(dir.resolve("runlog-jvm.args"), jvmFlags());
        try (ChildJvm.Child child = ChildJvm.of(FlagsProbeChild.class, dir.resolve("flagged")).withoutRunlogFlags()
            .jvmArg("@" + args).args(store).start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child::output);
            assertTrue(child.output().contains("created"), child::output);
        }
    }
}
