package io.runlog.readonly;

import io.runlog.Experiment;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.StoreAccessException;
import io.runlog.StoreOptions;
import io.runlog.cli.RunlogCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM of {@link ReadOnlyMediaTest}, started inside a mount namespace where the store
 * directory is a read-only bind mount: proves the medium refuses writes (even to root), that a
 * read-write open fails, then reads the store with {@link RunlogStore#openReadOnly} and prints
 * {@code read N points} (N checked by the parent), then runs {@code runlog status} on it in-process
 * and prints its exit status and streams.
 *
 * <p>Arguments: store directory, project, experiment key, metric.
 */
public final class ReadOnlyMediaChild {
    private ReadOnlyMediaChild() {
    }

    public static void main(final String[] args) {
        final Path dir = Path.of(args[0]);
        try {
            Files.createFile(dir.resolve("probe"));
            System.out.println("medium is writable");
            System.exit(3);
        } catch (final IOException expected) {
            System.out.println("medium refuses writes: " + expected);
        }
        try (RunlogStore rw = RunlogStore.open(dir)) {
            System.out.println("read-write open succeeded on read-only media");
            System.exit(4);
        } catch (final StoreAccessException expected) {
            System.out.println("read-write open refused: " + expected.getMessage());
        }
        try (RunlogStore ro = RunlogStore.openReadOnly(dir); Experiment e = ro.project(args[1]).openExperiment(args[2])) {
            final MetricSeries s = e.readMetric(args[3]);
            System.out.println("read " + s.size() + " points, last value bits " + Long.toHexString(s.valueBits(s.size() - 1)));
        }
        // the CLI's read commands on the same medium: read-only by themselves, with one line on stderr
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand(new StoreOptions().diskReserveBytes(0)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int exit = cli.execute("status", "--dir", dir.toString(), "--project", args[1], "--experiment", args[2]);
        System.out.println("cli status exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err);
        System.exit(0);
    }
}
