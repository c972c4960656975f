package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.internal.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code runlog ingest FILE}: loads a metrics CSV file into an experiment, all or nothing. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {
        "Loads a metrics CSV file into an experiment, all or nothing.",
        "",
        "The header names the columns metric, step, value and optionally timestamp,",
        "in any order. Fields may be quoted as in RFC 4180 (a quoted field cannot",
        "span lines). Spaces around numbers are ignored; empty lines are skipped.",
        "  metric     a metric name (1-250 characters, no control characters)",
        "  step       a 64-bit integer",
        "  value      a decimal number, NaN, Infinity, -Infinity, nan, inf, -inf,",
        "             or NaN:0x<16 hex digits> (a NaN with exactly those bits, as",
        "             'runlog series' writes it)",
        "  timestamp  empty: the store's clock at ingest;",
        "             an integer: epoch milliseconds;",
        "             a number with a fraction or exponent (1652872866.869395):",
        "             epoch seconds, converted exactly to milliseconds, rounded",
        "             half-up.",
        "",
        "All or nothing: the whole file is validated before the store is touched.",
        "The first malformed line is reported as 'runlog: error: FILE:LINE: <what>'",
        "(exit status 1) and nothing is applied: no store, project or experiment is",
        "created and no point is logged. A valid file is then logged row by row, in",
        "file order. The project (experiment management) and the experiment are",
        "created if missing; an existing experiment gets the rows appended, so",
        "ingesting a file twice stores its points twice.",
        ""
    })
public final class IngestCommand extends StoreCommand implements Callable<Integer> {
    @Mixin
    ProjectOption project;

    @Option(names = "--experiment", paramLabel = "E",
        description = "Experiment key (default: the file's name without extension, reduced to [A-Za-z0-9._-]).")
    String experiment;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Override
    public Integer call() {
        final String projectName = Names.checkKey("project name", project.name);
        final String key = experiment != null ? Names.checkKey("experiment key", experiment) : keyFromFileName(file);
        final MetricCsv csv = new MetricCsv(file, file.toString());

        // Pass 1: validate the whole file before anything touches the store.
        final Set<String> metricNames = new HashSet<>();
        final long rows = csv.read((metric, step, timestamped, timestamp, valueBits) -> metricNames.add(metric));

        // Pass 2: log every row through one handle per metric.
        final long logged;
        try (RunlogStore runlog = store.openOrCreate(storeOptions())) {
            final Project p = runlog.projectOrCreate(projectName, ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment e = p.openOrCreateExperiment(key)) {
                final Map<String, MetricHandle> handles = new HashMap<>();
                try {
                    logged = csv.read((metric, step, timestamped, timestamp, valueBits) -> {
                        final MetricHandle handle = handles.computeIfAbsent(metric, e::metric);
                        if (timestamped) {
                            handle.log(step, timestamp, Double.longBitsToDouble(valueBits));
                        } else {
                            handle.log(step, Double.longBitsToDouble(valueBits));
                        }
                    });
                } catch (final CliException changed) {
                    throw new CliException(file + " changed while it was ingested (" + changed.getMessage()
                        + "); experiment " + projectName + "/" + key + " holds the rows before that line", changed);
                }
                e.sync();
            }
        }
        if (logged != rows) {
            throw new CliException(file + " changed while it was ingested: " + rows + " rows validated, " + logged
                + " logged into " + projectName + "/" + key);
        }
        err().printf(Locale.ROOT, "ingested %,d rows of %,d metrics from %s into experiment %s/%s%n",
            rows, metricNames.size(), file, projectName, key);
        return 0;
    }

    /**
     * The file's name without its extension, every character outside {@code [A-Za-z0-9._-]}
     * replaced by '_', leading characters that are not letters or digits dropped.
     */
    static String keyFromFileName(final Path file) {
        final Path name = file.getFileName();
        String base = name == null ? "" : name.toString();
        final int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        final StringBuilder key = new StringBuilder();
        base.codePoints().forEach(c -> {
            final boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum || key.length() > 0) {
                key.append(alnum || c == '.' || c == '_' || c == '-' ? (char) c : '_');
            }
        });
        if (key.length() == 0) {
            throw new CliException("cannot derive an experiment key from the file name " + file
                + "; pass --experiment");
        }
        return key.length() > Names.MAX_KEY_LENGTH ? key.substring(0, Names.MAX_KEY_LENGTH) : key.toString();
    }
}
