package io.runlog.cli;

import io.runlog.ItemType;
import io.runlog.archive.ArchiveHeader;
import io.runlog.archive.ArchiveSummary;
import io.runlog.archive.ArchiveTotals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog inspect FILE}: what an archive holds and whether every checksum holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {
        "Describes an archive without importing it (CSV: field,value).",
        "",
        "Shows the experiment, counts per data type, bytes per point, and whether",
        "every checksum holds (checksums,ok). A damaged archive prints what could",
        "be read before the damage, then checksums,failed and the reason, and exits",
        "with status 1.",
        ""
    })
public final class InspectCommand extends CliCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The archive.")
    Path file;

    @Override
    public Integer call() {
        final ArchiveCheck c = ArchiveCheck.of(file);
        final PrintWriter out = out();
        out.print("field,value\n");
        row(out, "file", file.toString());
        row(out, "bytes", Long.toString(c.size));
        final ArchiveHeader h = c.header;
        if (h != null) {
            row(out, "project", h.project());
            row(out, "kind", h.kind().name());
            row(out, "experiment", h.key());
            row(out, "offline", Boolean.toString(h.offline()));
            row(out, "created_at", Long.toString(h.createdAt()));
            row(out, "exported_at", Long.toString(h.exportedAt()));
            row(out, "source_id", h.sourceId());
        }
        if (c.metrics != null) {
            for (int i = 0; i < c.metrics.size(); i++) {
                row(out, "metric:" + c.metrics.get(i), Long.toString(c.points[i]));
            }
        }
        final ArchiveSummary s = c.summary;
        if (s != null) {
            final ArchiveTotals t = s.totals();
            row(out, "metrics", Long.toString(t.metrics()));
            row(out, "points", Long.toString(t.points()));
            row(out, "parameter_values", Long.toString(t.parameterValues()));
            row(out, "output_lines", Long.toString(t.outputLines()));
            row(out, "items", Long.toString(t.items()));
            for (final ItemType type : ItemType.values()) {
                if (c.itemsByType[type.ordinal()] > 0) {
                    row(out, "items:" + type, Long.toString(c.itemsByType[type.ordinal()]));
                }
            }
            row(out, "item_payload_bytes", Long.toString(t.payloadBytes()));
            row(out, "prompts", Long.toString(t.prompts()));
            row(out, "throttle_entries", Long.toString(t.throttleEntries()));
            row(out, "blocks", Integer.toString(s.blocks() + 1));
            row(out, "point_block_bytes", Long.toString(s.pointBytes()));
            row(out, "bytes_per_point", t.points() == 0 ? "" : String.format(Locale.ROOT, "%.4f",
                (double) s.pointBytes() / t.points()));
            row(out, "file_bytes_per_point", t.points() == 0 ? "" : String.format(Locale.ROOT, "%.4f",
                (double) s.fileBytes() / t.points()));
            row(out, "checksums", "ok");
        } else {
            row(out, "checksums", "failed");
            row(out, "error", c.failure.getMessage());
        }
        out.flush();
        return s != null ? 0 : RunlogCommand.EXIT_ERROR;
    }

    private static void row(final PrintWriter out, final String field, final String value) {
        out.print(Csv.quote(field));
        out.print(',');
        out.print(Csv.quote(value));
        out.print('\n');
    }
}
