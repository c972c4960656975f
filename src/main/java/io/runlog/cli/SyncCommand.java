package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.StoreLockedException;
import io.runlog.Sync;
import io.runlog.SyncException;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog sync}: ships a store's experiments to a sync server. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {
        "Ships a store's experiments to a sync server, exactly once.",
        "",
        "Sends everything the server (runlog serve) does not hold yet, from the",
        "server's own mark, as segments of bounded",
        "size, one per data type. Online experiments go through the server's rate",
        "limits (a 429 waits for its Retry-After), offline ones only meet its hard",
        "limits. Network errors and 5xx are retried with backoff for as long as it",
        "takes. Exactly once: running it again, or after a crash of either side,",
        "never duplicates anything.",
        "",
        "Without --follow it ends once the server holds everything (exit 0). With",
        "--follow it opens the store read-only, so another process may be logging",
        "into it, and keeps shipping what that process logs until interrupted.",
        "Its marks are kept in --marks (default DIR/sync-client), where no store",
        "writer writes. Shows progress when standard error is a terminal.",
        ""
    })
public final class SyncCommand extends StoreCommand implements Callable<Integer> {
    @Mixin
    SyncOptionsMixin sync;

    @Option(names = "--experiment", paramLabel = "E", description = "Ship only experiments with key E.")
    String experiment;

    @Option(names = "--project", paramLabel = "P", description = "Ship only project P's experiments.")
    String project;

    @Option(names = "--follow", description = "Keep shipping what another process logs (read-only open) until interrupted.")
    boolean follow;

    @Option(names = "--marks", paramLabel = "DIR", description = "Where the client keeps its marks (default DIR/sync-client).")
    Path marks;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter err = err();
        final SyncOptions options;
        try {
            options = new SyncOptions(sync.server(), sync.apiKey()).follow(follow).experiment(experiment)
                .project(project).markDirectory(marks);
        } catch (final io.runlog.InvalidValueException e) {
            throw new CliException(e.getMessage());
        }
        final RunlogStore runlog;
        if (follow) {
            final Path dir = store.directory();
            if (!java.nio.file.Files.isRegularFile(dir.resolve(io.runlog.store.StoreLayout.STORE_FILE))) {
                throw new CliException("no store at " + dir);
            }
            runlog = RunlogStore.openReadOnly(dir, storeOptions());
        } else {
            try {
                runlog = store.openExisting(storeOptions());
            } catch (final StoreLockedException e) {
                throw new CliException(e.getMessage() + " (another process writes it: use --follow to ship while it logs)");
            }
        }
        if (!follow) {
            try {
                checkFilterMatches(runlog);
            } catch (final RuntimeException e) {
                runlog.close();
                throw e;
            }
        }
        final Terminal term = parent.terminal();
        final boolean terminal = term.interactive();
        try (runlog; Sync s = Sync.start(runlog, options)) {
            final Thread hook = new Thread(s::close, "runlog-sync-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                String told = null;
                while (!s.join(Duration.ofMillis(500))) {
                    final String error = s.status().lastError();
                    if (error != null && !error.equals(told) && s.status().failure() == null) {
                        // without a terminal this is the only sign of a wrong URL or a server down
                        err.println((terminal ? "\r" : "") + "runlog: " + error + " (retrying)");
                        told = error;
                    }
                    if (terminal) {
                        err.print("\r" + progress(s.status(), term));
                        err.flush();
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (final IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
            final SyncStatus st = s.status();
            if (terminal) {
                err.println("\r" + progress(st, term));
            }
            if (st.failure() != null) {
                throw st.failure();
            }
            err.printf(Locale.ROOT, "synced to %s: %,d points acknowledged in %,d segments (%,d bytes sent, %,d requests)%s%n",
                options.server(), st.acknowledgedPoints(), st.segmentsAcknowledged(), st.sentBytes(), st.attempts(),
                st.lastError() == null ? "" : "; last error: " + st.lastError());
            if (!st.synced()) {
                throw new SyncException("not everything was shipped: " + st.lastError(), 0);
            }
            return 0;
        }
    }

    /**
     * Without --follow nothing can appear later: a --project or --experiment that names nothing in
     * the store is a typo, told as such rather than "synced" with nothing shipped.
     */
    private void checkFilterMatches(final RunlogStore runlog) {
        if (project != null && runlog.projects().stream().noneMatch(p -> p.name().equals(project))) {
            throw new CliException("store " + runlog.directory() + " has no project '" + project + "'");
        }
        if (experiment != null && runlog.projects().stream()
            .filter(p -> project == null || p.name().equals(project))
            .noneMatch(p -> p.experimentKeys().contains(experiment))) {
            throw new CliException("no experiment '" + experiment + "' in "
                + (project == null ? "any project of store " + runlog.directory() : "project '" + project + "'"));
        }
    }

    /** One line of at most the terminal's width: a bar of acknowledged over acknowledged + lag, and the lag. */
    static String progress(final SyncStatus s, final Terminal term) {
        final long total = s.acknowledgedPoints() + s.lagPoints();
        final String text = String.format(Locale.ROOT, "%,d points acknowledged, %,d points and %,d entries to go%s",
            s.acknowledgedPoints(), s.lagPoints(), s.lagEntries(), s.nextAttemptAtMillis() > 0 ? " (waiting)" : "");
        return term.bar("sync", total == 0 ? 1 : s.acknowledgedPoints(), total == 0 ? 1 : total, text);
    }
}
