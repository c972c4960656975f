package io.runlog.cli;

import picocli.CommandLine.Option;

/** The {@code --project} option of the commands that work on one project. */
public final class ProjectOption {
    @Option(names = "--project", paramLabel = "P", defaultValue = "default",
        description = "Project (default: ${DEFAULT-VALUE}).")
    String name;
}
