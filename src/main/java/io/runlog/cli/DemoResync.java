package io.runlog.cli;

import io.runlog.HighWaterMark;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.Sync;
import io.runlog.SyncOptions;
import io.runlog.SyncStatus;
import io.runlog.sync.HttpTransport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Step 3 of {@code runlog demo}: what a restarted harness does. The killed harness's store is
 * reopened and a {@link Sync} (without follow) ships what the server does not hold yet, from the
 * server's own mark, then ends.
 */
final class DemoResync {
    /** What the server held before, and what the sync shipped. */
    record Result(long heldBefore, long shipped, long segments, SyncStatus status) {
    }

    private DemoResync() {
    }

    static Result run(final Path harnessStore, final StoreOptions options, final URI server, final String apiKey,
                      final String project, final String key) {
        final long held = held(server, apiKey, project, key);
        try (RunlogStore harness = RunlogStore.open(harnessStore, options);
             Sync sync = Sync.start(harness, new SyncOptions(server, apiKey).project(project).experiment(key).follow(false)
                 .backoff(Duration.ofMillis(50), Duration.ofMillis(500)))) {
            if (!sync.join(Duration.ofMinutes(2))) {
                throw new CliException("the sync from the reopened harness store did not finish within 2 minutes: "
                    + sync.status().lastError());
            }
            final SyncStatus st = sync.status();
            if (st.failure() != null) {
                throw st.failure();
            }
            if (!st.synced()) {
                throw new CliException("the sync from the reopened harness store stopped unsynced: " + st.lastError());
            }
            return new Result(held, st.acknowledgedPoints(), st.segmentsAcknowledged(), st);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The points the server holds of the experiment (its mark, {@code GET .../segments}). */
    static long held(final URI server, final String apiKey, final String project, final String key) {
        final HttpTransport http = new HttpTransport(server, apiKey, Duration.ofSeconds(10), Duration.ofSeconds(30));
        try {
            final HttpTransport.Reply r = http.get(HttpTransport.segmentsPath(project, key));
            if (r.status() != 200) {
                throw new CliException("the server answered " + r.status() + " for the mark of " + project + "/" + key
                    + ": " + r.bodyText());
            }
            return HighWaterMark.fromJson(r.bodyText()).points();
        } catch (final IOException e) {
            throw new CliException("cannot ask the server for the mark of " + project + "/" + key + ": " + e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
