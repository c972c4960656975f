package io.runlog.cli;

import io.runlog.HighWaterMark;
import io.runlog.store.FileSystemFacade;
import io.runlog.sync.HttpTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Step 4 of {@code runlog demo}: the exported archive uploaded twice to the server into a new
 * experiment ({@code POST .../segments}, as {@code runlog upload} does): the first adds everything,
 * the second nothing.
 */
final class DemoUpload {
    /** One upload: what it added, what the server holds after, how long it took. */
    record Result(long points, long entries, long held, long nanos) {
    }

    private DemoUpload() {
    }

    static Result[] twice(final URI server, final String apiKey, final Path archive, final String project,
                          final String experiment) {
        final HttpTransport http = new HttpTransport(server, apiKey, Duration.ofSeconds(10), Duration.ofMinutes(10));
        return new Result[] {once(http, archive, project, experiment), once(http, archive, project, experiment)};
    }

    private static Result once(final HttpTransport http, final Path archive, final String project,
                               final String experiment) {
        final long t = System.nanoTime();
        try {
            final HttpTransport.Reply r = http.postArchive(HttpTransport.segmentsPath(project, experiment), () -> {
                try {
                    return FileSystemFacade.DEFAULT.newInputStream(archive);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Files.size(archive));
            final long nanos = System.nanoTime() - t;
            if (r.status() != 200) {
                throw new CliException("the server refused the archive upload with " + r.status() + ": " + r.bodyText());
            }
            return new Result(Long.parseLong(r.header("Runlog-Points-Added").orElse("0")),
                Long.parseLong(r.header("Runlog-Entries-Added").orElse("0")),
                HighWaterMark.fromJson(r.bodyText()).points(), nanos);
        } catch (final IOException e) {
            throw new CliException("cannot upload " + archive + ": " + e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
