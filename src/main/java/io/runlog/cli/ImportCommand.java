package io.runlog.cli;

import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.archive.ArchiveImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog import FILE...}: imports ("uploads") archives into a store. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
        "Imports archives, each into the experiment it came from.",
        "",
        "The store, project and experiment are created if missing; the experiment",
        "keeps the archive's creation time. --project and --experiment import under",
        "another name (an archive whose key is taken by an experiment of another",
        "origin is refused, and the message says so).",
        "Each archive is verified whole before anything is written: a damaged one",
        "changes nothing. Importing an archive again, or an earlier export of the",
        "same experiment, adds nothing; a later export adds only what is new; an",
        "interrupted import can simply be run again. Hard limits apply; rate limits",
        "do not. Shows a progress bar when standard error is a terminal.",
        "Exit status 1 if any archive failed (the others are still imported).",
        ""
    })
public final class ImportCommand extends StoreCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Archives to import, in order.")
    List<Path> files;

    @Option(names = "--project", paramLabel = "P",
        description = "Import into project P instead of the archive's (created with the archive's kind if missing).")
    String project;

    @Option(names = "--experiment", paramLabel = "E",
        description = "Import into experiment key E instead of the archive's (for example when that key is taken).")
    String experiment;

    @Override
    public Integer call() {
        final PrintWriter err = err();
        final ImportOptions options = new ImportOptions();
        if (project != null) {
            options.project(project);
        }
        if (experiment != null) {
            options.key(experiment);
        }
        int failed = 0;
        String reported = null;
        final RunlogStore runlog = store.openOrCreate(storeOptions());
        try {
            for (final Path file : files) {
                final ProgressBar bar = System.console() != null ? new ProgressBar(err, file.toString()) : null;
                try {
                    final ImportResult r = ArchiveImporter.importArchive(runlog, file, bar == null ? null : bar::update,
                        options);
                    if (bar != null) {
                        bar.finish();
                    }
                    err.printf(Locale.ROOT, "imported %s into %s/%s%s: added %,d points and %,d other entries, skipped %,d "
                            + "points and %,d other entries already present%n", file, r.project(), r.experiment(),
                        r.createdExperiment() ? " (created)" : "", r.pointsAdded(), r.otherAdded(), r.pointsSkipped(),
                        r.otherSkipped());
                } catch (final RunlogException e) {
                    if (bar != null) {
                        bar.finish();
                    }
                    failed++;
                    reported = oneLine(e.getMessage());
                    err.println("runlog: error: " + reported);
                }
                err.flush();
            }
        } finally {
            try {
                runlog.close();
            } catch (final RunlogException e) {
                // closing drains what is pending; below the disk reserve it fails for the reason just reported
                if (!oneLine(e.getMessage()).equals(reported)) {
                    throw e;
                }
            }
        }
        return failed == 0 ? 0 : RunlogCommand.EXIT_ERROR;
    }

    private static String oneLine(final String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A one-line progress bar redrawn with a carriage return; only used on a terminal. */
    static final class ProgressBar {
        private static final int WIDTH = 40;
        private final PrintWriter err;
        private final String label;
        private int drawn = -1;

        ProgressBar(final PrintWriter err, final String label) {
            this.err = err;
            this.label = label;
        }

        void update(final long done, final long total) {
            final int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
            if (filled == drawn) {
                return;
            }
            drawn = filled;
            err.print("\r" + render(label, filled, done, total));
            err.flush();
        }

        static String render(final String label, final int filled, final long done, final long total) {
            return String.format(Locale.ROOT, "%s [%s%s] %,d/%,d points", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done, total);
        }

        void finish() {
            if (drawn >= 0) {
                err.print("\n");
                err.flush();
            }
        }
    }
}
