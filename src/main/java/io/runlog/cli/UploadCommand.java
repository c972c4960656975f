package io.runlog.cli;

import io.runlog.HighWaterMark;
import io.runlog.RunlogException;
import io.runlog.SyncAuthException;
import io.runlog.archive.ArchiveHeader;
import io.runlog.archive.ArchiveReader;
import io.runlog.archive.ArchiveSummary;
import io.runlog.archive.ArchiveVisitor;
import io.runlog.store.FileSystemFacade;
import io.runlog.sync.HttpTransport;
import io.runlog.sync.RetryAfter;
import io.runlog.sync.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** {@code runlog upload --server URL --api-key-file F ARCHIVE...}: uploads archive files to a sync server. */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = {
        "Uploads archives to a sync server, each into its experiment.",
        "",
        "Archives are runlog export files; the server is runlog serve. Each goes",
        "into the project and experiment it came from, or --project P (the API",
        "key's project) and --experiment E.",
        "",
        "Each archive is verified locally first. The server imports idempotently: an",
        "archive uploaded twice, or an earlier export of the same experiment, adds",
        "nothing, so an interrupted upload can simply be run again. Network errors",
        "and 5xx are retried with backoff for as long as it takes (no give-up), a",
        "429 after its Retry-After; a refusal",
        "(401/403 key, 409 conflict or hard limit, 413 too large) is reported and",
        "the next archive is tried. Shows a progress bar when standard error is a",
        "terminal.",
        "Exit status 1 if any archive failed.",
        ""
    })
public final class UploadCommand extends CliCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    RunlogCommand parent;

    @Mixin
    SyncOptionsMixin sync;

    @Parameters(arity = "1..*", paramLabel = "ARCHIVE", description = "Archive files to upload, in order.")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--project", paramLabel = "P",
        description = "Upload into project P (the API key's) instead of the archive's.")
    String project;

    @picocli.CommandLine.Option(names = "--experiment", paramLabel = "E",
        description = "Upload into experiment key E instead of the archive's (one archive only).")
    String experiment;

    @Override
    public Integer call() {
        final PrintWriter err = err();
        try {
            if (project != null) {
                io.runlog.internal.Names.checkKey("project name", project);
            }
            if (experiment != null) {
                io.runlog.internal.Names.checkKey("experiment key", experiment);
            }
        } catch (final io.runlog.InvalidValueException e) {
            throw new CliException(e.getMessage());
        }
        if (experiment != null && files.size() > 1) {
            throw new CliException("--experiment names one experiment: upload one archive with it, not " + files.size());
        }
        final HttpTransport transport;
        try {
            transport = new HttpTransport(sync.server(), sync.apiKey(), Duration.ofSeconds(10), Duration.ofMinutes(10));
        } catch (final IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        int failed = 0;
        for (final Path file : files) {
            try {
                upload(transport, file, err);
            } catch (final RunlogException | CliException e) {
                failed++;
                err.println("runlog: error: " + file + ": " + e.getMessage());
                if (e instanceof SyncAuthException) {
                    break;
                }
            }
        }
        err.flush();
        return failed == 0 ? 0 : RunlogCommand.EXIT_ERROR;
    }

    private void upload(final HttpTransport transport, final Path file, final PrintWriter err) {
        final ArchiveReader reader = ArchiveReader.open(FileSystemFacade.DEFAULT, file);
        final ArchiveSummary summary = reader.read(new ArchiveVisitor() { });
        final ArchiveHeader h = summary.header();
        final long size = reader.size();
        final String toProject = project != null ? project : h.project();
        final String toKey = experiment != null ? experiment : h.key();
        final String path = HttpTransport.segmentsPath(toProject, toKey);
        final Terminal term = parent.terminal();
        final ByteBar bar = term.interactive() ? new ByteBar(err, file.getFileName().toString(), term) : null;
        final RetryPolicy policy = new RetryPolicy(RetryPolicy.DEFAULT_BASE_NANOS, RetryPolicy.DEFAULT_CAP_NANOS,
            System.nanoTime());
        while (true) {
            final HttpTransport.Reply reply;
            try {
                reply = transport.postArchive(path, () -> counting(file, bar, size), size);
            } catch (final IOException e) {
                err.println("runlog: " + file + ": network error talking to " + transport.server() + ", retrying: "
                    + networkError(e));
                pause(policy.onFailure(-1));
                continue;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            final int s = reply.status();
            if (s == 200) {
                if (bar != null) {
                    bar.finish();
                }
                final HighWaterMark m = HighWaterMark.fromJson(reply.bodyText());
                err.printf(Locale.ROOT, "uploaded %s to %s/%s: added %s points and %s other entries; the server holds %,d"
                        + " points and %,d other entries of it%n", file, toProject, toKey,
                    reply.header("Runlog-Points-Added").orElse("?"), reply.header("Runlog-Entries-Added").orElse("?"),
                    m.points(), m.entries());
                return;
            }
            if (s == 401 || s == 403) {
                throw new SyncAuthException("server " + transport.server() + " refused the API key with " + s
                    + (s == 401 ? " (missing or unknown key)" : " (the key belongs to another project than '"
                    + toProject + "'" + (project == null ? "; --project names the key's" : "") + ")"), s);
            }
            final long ra = RetryAfter.delayNanos(reply.header("Retry-After"), System.currentTimeMillis()).orElse(-1L);
            if (s == 429) {
                pause(policy.onThrottled(ra));
                continue;
            }
            if (s >= 500 || s == 408) {
                err.println("runlog: " + file + ": server answered " + s + ", retrying");
                pause(policy.onFailure(ra));
                continue;
            }
            throw new io.runlog.SyncException("server refused " + file + " with " + s + ": " + reply.bodyText().strip(), s);
        }
    }

    private static InputStream counting(final Path file, final ByteBar bar, final long size) {
        try {
            final InputStream in = FileSystemFacade.DEFAULT.newInputStream(file);
            if (bar == null) {
                return in;
            }
            return new java.io.FilterInputStream(in) {
                private long done;

                @Override
                public int read(final byte[] b, final int off, final int len) throws IOException {
                    final int n = super.read(b, off, len);
                    if (n > 0) {
                        done += n;
                        bar.update(done, size);
                    }
                    return n;
                }
            };
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(final long nanos) {
        final long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) { // parkNanos would return at once for ever: stop
                throw new CliException("interrupted");
            }
        }
    }

    /** What a failed exchange says: the JDK's client throws a ConnectException without a message for a refusal. */
    static String networkError(final IOException e) {
        if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A progress bar of bytes sent, drawn on standard error when it is a terminal, within its width. */
    static final class ByteBar {
        private final PrintWriter err;
        private final String label;
        private final Terminal term;
        private String drawn;

        ByteBar(final PrintWriter err, final String label, final Terminal term) {
            this.err = err;
            this.label = label;
            this.term = term;
        }

        synchronized void update(final long done, final long total) {
            final String line = term.bar(label, done, total, String.format(Locale.ROOT, "%,d/%,d bytes", done, total));
            if (line.equals(drawn)) {
                return;
            }
            drawn = line;
            err.print("\r" + line);
            err.flush();
        }

        synchronized void finish() {
            if (drawn != null) {
                err.print("\n");
                err.flush();
            }
        }
    }
}
