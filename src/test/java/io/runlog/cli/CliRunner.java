package io.runlog.cli;

import io.runlog.StoreOptions;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process with captured standard output and error. */
final class CliRunner {
    /** The fixed time the injected store clock reads. */
    static final long NOW = 1_700_000_000_000L;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRunner() {
    }

    static StoreOptions options() {
        return new StoreOptions().clock(() -> NOW).diskReserveBytes(0);
    }

    static Result run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand(options()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
