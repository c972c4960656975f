package io.runlog.isolation;

import io.runlog.cli.RunlogCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM of {@link NoHomeDirectoryWritesTest}: runs every command of the command line, in
 * process, the way a user's first session would (ingest, the read commands, export, verify,
 * inspect, import, plot with a CJK name on a time axis, jvm-flags, and a short demo, whose
 * harness is another JVM), everything under {@code out/} of the working directory. Exits 0 if
 * every command exited 0, else 1 naming the command.
 */
public final class CliProbeChild {
    private CliProbeChild() {
    }

    public static void main(final String[] args) throws IOException {
        final Path out = Files.createDirectories(Path.of("out"));
        final StringBuilder csv = new StringBuilder("metric,step,timestamp,value\n");
        for (int i = 0; i < 500; i++) {
            csv.append("损失 📈,").append(i).append(',').append(1_652_872_866_869L + i * 1000L).append(',')
                .append(1.0 / (i + 1)).append('\n');
        }
        Files.writeString(out.resolve("data.csv"), csv, StandardCharsets.UTF_8);
        final List<String[]> commands = List.of(
            new String[] {"ingest", "--dir", "out/store", "--experiment", "run", "out/data.csv"},
            new String[] {"metrics", "--dir", "out/store", "--experiment", "run"},
            new String[] {"series", "--dir", "out/store", "--experiment", "run", "--metric", "损失 📈"},
            new String[] {"status", "--dir", "out/store", "--experiment", "run"},
            new String[] {"stats", "--dir", "out/store"},
            new String[] {"export", "--dir", "out/store", "--experiment", "run", "-o", "out/run.rla"},
            new String[] {"verify", "out/run.rla"},
            new String[] {"inspect", "out/run.rla"},
            new String[] {"import", "--dir", "out/server", "out/run.rla"},
            new String[] {"plot", "--dir", "out/store", "--experiment", "run", "--metric", "损失 📈", "--x", "timestamp",
                "-o", "out/chart.png"},
            new String[] {"jvm-flags"},
            new String[] {"keys", "add", "--keys", "out/server-keys", "--project", "p"},
            new String[] {"demo", "--dir", "out/demo", "--steps", "20000", "--experiment", "probe"});
        for (final String[] command : commands) {
            final StringWriter text = new StringWriter();
            final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand());
            cli.setOut(new PrintWriter(text, true));
            cli.setErr(new PrintWriter(text, true));
            final int exit = cli.execute(command);
            System.out.println("cli probe: " + command[0] + " exit " + exit);
            if (exit != 0) {
                System.out.println(text);
                System.exit(1);
            }
        }
        System.out.println("cli probe: every command ran");
    }
}
