package io.runlog.cli;

import io.runlog.server.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code runlog keys}: the API keys of {@code runlog serve}. */
@Command(name = "keys", mixinStandardHelpOptions = true, subcommands = KeysCommand.Add.class,
    description = {"Manages the API keys of 'runlog serve'.", "", "The key file holds only salted hashes.", ""})
public final class KeysCommand extends CliCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return RunlogCommand.EXIT_USAGE;
    }

    /** {@code runlog keys add --keys FILE --project P}: prints a new random key once. */
    @Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Makes a new random API key for a project, appends its salted SHA-256 hash to the key file",
            "(created owner-only), and prints the key on standard output: the only time it is shown.", ""})
    public static final class Add extends CliCommand implements Callable<Integer> {
        @Option(names = "--keys", paramLabel = "FILE", required = true, description = "The key file.")
        Path keys;

        @Option(names = "--project", paramLabel = "P", required = true, description = "The project the key is bound to.")
        String project;

        @Override
        public Integer call() {
            final String key = ApiKeys.add(keys, project);
            out().println(key);
            out().flush();
            err().println("added a key for project '" + project + "' to " + keys + "; it is shown only this once");
            err().flush();
            return 0;
        }
    }
}
