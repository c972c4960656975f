package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog status}: one experiment at a glance, its throttle warning flag included. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Shows one experiment at a glance, its throttle flag included.",
        "",
        "Kind, offline or not, creation time, counts of",
        "metrics, points, parameters, output lines, items and prompts, and its",
        "throttle warning flag: for each data type the ingestion gate throttled,",
        "the first and last throttle time (UTC), the units not accepted, the",
        "throttled submissions and the throttling episodes; and the ring loss:",
        "ring slots that crash recovery skipped as torn or damaged (points lost).",
        ""
    })
public final class StatusCommand extends ExperimentCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        final List<String[]> rows = new ArrayList<>();
        try (RunlogStore runlog = openForReading();
             Experiment e = openExperiment(runlog)) {
            rows.add(row("experiment", e.projectName() + "/" + e.key()));
            rows.add(row("kind", e.projectKind().name()));
            rows.add(row("offline", e.isOffline() ? "yes (no rate limits)" : "no"));
            rows.add(row("created", Instant.ofEpochMilli(e.createdAt()).toString()));
            rows.add(row("metrics", String.format(Locale.ROOT, "%,d (%,d points)", e.metrics().size(), e.pointCount())));
            rows.add(row("parameters", Integer.toString(e.parameters().size())));
            rows.add(row("output lines", Long.toString(e.outputLineCount())));
            rows.add(row("items", items(e)));
            rows.add(row("prompts", Long.toString(e.promptCount())));
            final long skipped = e.skippedRingSlots();
            rows.add(row("ring loss", skipped == 0 ? "none" : String.format(Locale.ROOT, "%,d ring slots skipped by"
                + " recovery after a crash (torn or damaged; their points are lost; runlog check reports it)", skipped)));
            final ThrottleWarning warning = e.throttleWarning();
            if (!warning.raised()) {
                rows.add(row("throttle warning", "none"));
            } else {
                for (final ThrottleWarning.Throttled t : warning.types().values()) {
                    rows.add(row("throttle warning", describe(t)));
                }
            }
        }
        final PrintWriter out = out();
        for (final String[] r : rows) {
            out.print(String.format(Locale.ROOT, "%-17s %s%n", r[0] + ":", r[1]));
        }
        out.flush();
        return 0;
    }

    private static String items(final Experiment e) {
        final StringBuilder b = new StringBuilder();
        for (final ItemType type : ItemType.values()) {
            final long n = e.itemCount(type);
            if (n > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(type.name().toLowerCase(Locale.ROOT)).append(' ').append(n);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    static String describe(final ThrottleWarning.Throttled t) {
        return String.format(Locale.ROOT, "%s: %,d %s in %,d submission%s, %,d episode%s, first %s, last %s",
            t.type().name().toLowerCase(Locale.ROOT), t.units(), unit(t.type()), t.submissions(),
            t.submissions() == 1 ? "" : "s", t.episodes(), t.episodes() == 1 ? "" : "s",
            Instant.ofEpochMilli(t.firstMillis()), Instant.ofEpochMilli(t.lastMillis()));
    }

    private static String unit(final DataType type) {
        return switch (type) {
            case METRICS -> "values";
            case PARAMETERS -> "parameters";
            case OUTPUT -> "lines";
            case OTHER -> "items";
        } + " throttled";
    }

    private static String[] row(final String key, final String value) {
        return new String[]{key, value};
    }
}
