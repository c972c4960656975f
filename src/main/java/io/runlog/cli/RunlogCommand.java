package io.runlog.cli;

import io.runlog.RunlogException;
import io.runlog.StoreOptions;
import io.runlog.internal.JvmDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code runlog}: the command line of Runlog. Exit status 0 on success, 1 on an error (one line
 * {@code runlog: error: ...} on standard error), 2 on a usage error (the message and one line
 * naming the command's {@code --help}, on standard error).
 */
@Command(name = "runlog", mixinStandardHelpOptions = true, versionProvider = RunlogCommand.Version.class,
    description = {"Inspects and fills Runlog stores: embedded time-series storage for ML experiment tracking.", ""},
    subcommands = {
        IngestCommand.class,
        MetricsCommand.class,
        SeriesCommand.class,
        StatsCommand.class,
        StatusCommand.class,
        ExportCommand.class,
        ImportCommand.class,
        SyncCommand.class,
        UploadCommand.class,
        InspectCommand.class,
        VerifyCommand.class,
        CheckCommand.class,
        PlotCommand.class,
        JvmFlagsCommand.class,
        DemoHarnessCommand.class,
        DemoCommand.class,
        ServeCommand.class,
        KeysCommand.class,
        CommandLine.HelpCommand.class
    },
    footer = {"", "Exit status: 0 success, 1 error, 2 usage error. Run 'runlog COMMAND --help' for a command's options."})
public final class RunlogCommand implements Callable<Integer> {
    /** Exit status of an error the command reports in one line. */
    public static final int EXIT_ERROR = 1;
    /** Exit status of a usage error. */
    public static final int EXIT_USAGE = 2;

    static {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // Reopening after a crash, Chronicle takes over the write lock the dead process held and
        // warns; Runlog's recovery is what the user cares about, and commands report it.
        final String lockLogger = "org.slf4j.simpleLogger.log.net.openhft.chronicle.queue.impl.single.TableStoreWriteLock";
        if (System.getProperty(lockLogger) == null) {
            System.setProperty(lockLogger, "error");
        }
        JvmDefaults.apply();
    }

    private final StoreOptions storeOptions;

    @Spec
    CommandSpec spec;

    /** With default store options. */
    public RunlogCommand() {
        this(new StoreOptions());
    }

    /** With the options every command opens stores with (tests inject a clock through them). */
    public RunlogCommand(final StoreOptions storeOptions) {
        this.storeOptions = storeOptions.copy();
    }

    StoreOptions storeOptions() {
        return storeOptions;
    }

    private Terminal terminal;

    /** Whether progress is drawn on standard error, and how wide: detected unless a test set one. */
    Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.detect();
        }
        return terminal;
    }

    /** For tests: the terminal standard error is taken to be. */
    RunlogCommand terminal(final Terminal t) {
        this.terminal = t;
        return this;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    /** The configured command line: usage errors exit 2, errors exit 1 with one line. */
    public static CommandLine commandLine(final RunlogCommand command) {
        final CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler(RunlogCommand::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> error(e, commandLine));
        cli.setExecutionStrategy(RunlogCommand::execute);
        return cli;
    }

    /**
     * Like picocli's {@code RunLast}, except that an argument nothing matched is a usage error even
     * when {@code --help} is given too: picocli would print the top-level help for
     * {@code runlog nosuch --help} and exit 0.
     */
    private static int execute(final ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (!last.unmatched().isEmpty()) {
            throw new UnmatchedArgumentException(last.commandSpec().commandLine(), last.unmatched());
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** A usage error: the message, suggestions for a typo, and one line saying where the help is. */
    private static int usageError(final ParameterException e, final String[] args) {
        final CommandLine cli = e.getCommandLine();
        final PrintWriter err = cli.getErr();
        err.println("runlog: error: " + oneLine(e.getMessage()));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return EXIT_USAGE;
    }

    private static int error(final Exception e, final CommandLine cli) {
        final PrintWriter err = cli.getErr();
        err.println("runlog: error: " + oneLine(messageOf(e)));
        err.flush();
        return EXIT_ERROR;
    }

    private static String messageOf(final Throwable e) {
        if (e instanceof RunlogException || e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return e.getCause().toString();
        }
        return e.toString();
    }

    private static String oneLine(final String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
            new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        final PrintWriter err = new PrintWriter(new OutputStreamWriter(
            new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        final CommandLine cli = commandLine(new RunlogCommand());
        cli.setOut(out);
        cli.setErr(err);
        final int status = cli.execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The version from the Maven metadata in the jar, if there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            try (InputStream in = RunlogCommand.class.getResourceAsStream("/META-INF/maven/io.runlog/runlog/pom.properties")) {
                if (in != null) {
                    final Properties p = new Properties();
                    p.load(in);
                    return new String[] {"runlog " + p.getProperty("version", "(unknown version)")};
                }
            } catch (final IOException e) {
                // fall through
            }
            return new String[] {"runlog (development build)"};
        }
    }
}
