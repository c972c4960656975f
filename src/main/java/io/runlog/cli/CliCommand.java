package io.runlog.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** What every sub-command has: its spec and its two streams (results on stdout, reports on stderr). */
abstract class CliCommand {
    @Spec
    CommandSpec spec;

    /** Standard output: CSV and results. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error: summaries and notes. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
