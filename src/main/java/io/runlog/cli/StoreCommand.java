package io.runlog.cli;

import io.runlog.StoreOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** What every sub-command has: the top-level command, its own spec, and {@code --dir}. */
abstract class StoreCommand {
    @ParentCommand
    RunlogCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreDirOption store;

    /** Standard output: CSV and results. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error: summaries and notes. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    StoreOptions storeOptions() {
        return parent.storeOptions();
    }
}
