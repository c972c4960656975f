package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.Project;
import io.runlog.RunlogStore;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runlog stats}: experiments, points and disk use per project. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {
        "Prints experiments, points and disk use per project (CSV).",
        "",
        "Columns: project,kind,experiments,points,bytes_on_disk; one row per",
        "project, then a TOTAL row. bytes_on_disk is allocated space (du -sk), not",
        "apparent size: a project's figure covers its experiments' directories,",
        "TOTAL's the whole store directory. If du cannot run, apparent sizes are",
        "shown and a note on standard error says so. Every experiment is opened to",
        "count its points.",
        ""
    })
public final class StatsCommand extends StoreCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        final StringBuilder csv = new StringBuilder("project,kind,experiments,points,bytes_on_disk\n");
        long experiments = 0;
        long points = 0;
        DiskUsage.Size total;
        boolean estimated = false;
        try (RunlogStore runlog = openForReading()) {
            for (final Project project : runlog.projects()) {
                long projectPoints = 0;
                DiskUsage.Size size = DiskUsage.ZERO;
                int count = 0;
                for (final String key : project.experimentKeys()) {
                    try (Experiment e = project.openExperiment(key)) {
                        projectPoints += e.pointCount();
                        size = size.plus(DiskUsage.of(e.directory()));
                    }
                    count++;
                }
                csv.append(project.name()).append(',').append(project.kind()).append(',').append(count).append(',')
                    .append(projectPoints).append(',').append(size.bytes()).append('\n');
                experiments += count;
                points += projectPoints;
                estimated |= size.estimated();
            }
            total = DiskUsage.of(runlog.directory());
        }
        estimated |= total.estimated();
        csv.append("TOTAL,,").append(experiments).append(',').append(points).append(',').append(total.bytes())
            .append('\n');
        final PrintWriter out = out();
        out.print(csv);
        out.flush();
        if (estimated) {
            err().println("runlog: note: 'du' could not run; bytes_on_disk shows apparent sizes");
        }
        return 0;
    }
}
