package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.internal.StoreAccess;
import io.runlog.store.CheckFinding;
import io.runlog.store.ExperimentCheck;
import io.runlog.store.Salvage;
import io.runlog.store.StoreCheck;
import io.runlog.store.StoreEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog check}: verifies every byte of a store's experiments; {@code --repair} salvages damaged ones. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {
        "Verifies a whole store; --repair salvages what is damaged.",
        "",
        "Reads a closed store without changing it: every journal record, every",
        "metric run, every item payload (SHA-256 and length) and the ring a crashed",
        "process left (its slot checks).",
        "",
        "Prints one line per damage (DAMAGE, naming the file and the record index or",
        "byte offset) and per note (journal formats 1 to 4 and ring format 1 carry",
        "no checksums; a ring waiting to be recovered), one line per experiment, and",
        "a result line. Exit status 0 if nothing is damaged, 1 otherwise.",
        "",
        "--repair salvages each damaged experiment: it keeps everything before the",
        "first damage, moves the damaged rest aside into DIR/salvage/STAMP/P/E/",
        "(never deleting anything), writes REPORT.txt there, and checks again:",
        "exit status 0 if the store then checks clean.",
        ""
    })
public final class CheckCommand extends StoreCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    @Option(names = "--project", paramLabel = "P", description = "Only this project (default: every project).")
    String project;

    @Option(names = "--experiment", paramLabel = "E", description = "Only this experiment (of --project, or of every project that has it).")
    String experiment;

    @Option(names = "--repair", description = "Salvage damaged experiments (see above).")
    boolean repair;

    @Override
    public Integer call() {
        final PrintWriter out = out();
        try (RunlogStore runlog = store.openExisting(storeOptions())) {
            final StoreEngine engine = StoreAccess.engine(runlog);
            List<ExperimentCheck> checks = check(engine);
            if (checks.isEmpty()) {
                throw new CliException(experiment != null ? "no experiment '" + experiment + "'"
                    + (project != null ? " in project '" + project + "'" : " in any project") : "no experiment to check");
            }
            boolean damaged = print(out, checks);
            if (repair && damaged) {
                final String stamp = STAMP.format(Instant.ofEpochMilli(storeOptions().clock().time()));
                for (final ExperimentCheck c : checks) {
                    if (c.damaged()) {
                        final Salvage.Result r = Salvage.repair(engine, c, stamp,
                            List.of(new io.runlog.archive.ImportMarkRepair(), new IngestMarkRepair()));
                        out.printf(Locale.ROOT, "repair %s: %s (report: %s)%n", c.name(),
                            r.repaired() ? "salvaged" : "NOT repaired", r.salvageDir().resolve("REPORT.txt"));
                        for (final String a : r.actions()) {
                            out.printf(Locale.ROOT, "  %s%n", a);
                        }
                    }
                }
                out.printf(Locale.ROOT, "checking again after the repair%n");
                checks = check(engine);
                damaged = print(out, checks);
            }
            out.flush();
            return damaged ? RunlogCommand.EXIT_ERROR : 0;
        }
    }

    private List<ExperimentCheck> check(final StoreEngine engine) {
        if (experiment != null && project == null) {
            return engine.projects().stream().filter(p -> engine.experimentExists(p, experiment))
                .map(p -> StoreCheck.experiment(engine, p, experiment)).toList();
        }
        return StoreCheck.run(engine, project, experiment);
    }

    /** Prints the findings and a line per experiment; true if any is damaged. */
    private static boolean print(final PrintWriter out, final List<ExperimentCheck> checks) {
        int damaged = 0;
        long records = 0;
        long points = 0;
        long payloads = 0;
        for (final ExperimentCheck c : checks) {
            for (final CheckFinding f : c.findings()) {
                out.println(f.line());
            }
            out.printf(Locale.ROOT, "%s: %s (%,d records, %,d points, %,d payloads)%n", c.name(),
                c.damaged() ? "DAMAGED" : "ok", c.records(), c.points(), c.payloads());
            damaged += c.damaged() ? 1 : 0;
            records += c.records();
            points += c.points();
            payloads += c.payloads();
        }
        out.printf(Locale.ROOT, "result: %s: %d experiments checked, %d damaged (%,d records, %,d points, %,d payloads)%n",
            damaged == 0 ? "ok" : "DAMAGED", checks.size(), damaged, records, points, payloads);
        return damaged > 0;
    }
}
