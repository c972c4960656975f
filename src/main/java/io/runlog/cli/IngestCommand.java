package io.runlog.cli;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.internal.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        "The first malformed line, or the first metric over the hard limit on unique",
        "metrics, is reported as 'runlog: error: FILE:LINE: <what>' (exit status 1)",
        "and nothing is applied: no store, project or experiment is created and no",
        "point is logged. A valid file is then logged row by row, in file order. The",
        "project (experiment management) and the experiment (offline with --offline)",
        "are created if missing; an existing experiment gets the rows appended.",
        "",
        "Resumable and idempotent: the experiment records the file's identity (the",
        "SHA-256 of its content) and progress. If the ingest is interrupted (Ctrl-C,",
        "kill -9, a full disk), running the same command again adds exactly the rows",
        "that are missing; ingesting a file that was ingested whole adds nothing.",
        ""
    })
public final class IngestCommand extends StoreCommand implements Callable<Integer> {
    /** Rows between two progress marks (and checks for an interrupt). */
    static final int MARK_EVERY = 65_536;

    @Mixin
    ProjectOption project;

    @Option(names = "--experiment", paramLabel = "E",
        description = "Experiment key (default: the file's name without extension, reduced to [A-Za-z0-9._-]).")
    String experiment;

    @Option(names = "--offline", description = "Create the experiment offline (no rate limits, only hard limits).")
    boolean offline;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    private volatile boolean interrupted;
    private volatile long lineReached;

    /** What pass 1 learns: the metrics in order of their first line, and their row counts. */
    private static final class Survey {
        final Map<String, long[]> metrics = new LinkedHashMap<>(); // name -> {first line, rows}
    }

    @Override
    public Integer call() {
        final String projectName = Names.checkKey("project name", project.name);
        final String key = experiment != null ? Names.checkKey("experiment key", experiment) : keyFromFileName(file);
        final MetricCsv csv = new MetricCsv(file, file.toString());

        // Pass 1: validate the whole file before anything touches the store.
        final Survey survey = new Survey();
        final long rows = csv.read((line, metric, step, timestamped, timestamp, valueBits) ->
            survey.metrics.computeIfAbsent(metric, m -> new long[] {line, 0})[1]++);
        final String sha = csv.sha256();
        final long limit = storeOptions().hardLimits().uniqueMetrics();
        checkMetricLimit(survey, Set.of(), limit, projectName + "/" + key);

        final long[] added = new long[1];
        final long[] skipped = new long[1];
        final boolean[] resumed = new boolean[1];
        try (RunlogStore runlog = store.openOrCreate(storeOptions())) {
            final Project p = runlog.projectOrCreate(projectName, ProjectKind.EXPERIMENT_MANAGEMENT);
            final boolean exists = p.experimentKeys().contains(key);
            try (Experiment e = exists ? p.openExperiment(key)
                : offline ? p.createOfflineExperiment(key) : p.createExperiment(key)) {
                if (offline && !e.isOffline()) {
                    throw new CliException("experiment " + projectName + "/" + key + " exists and is not offline; leave"
                        + " out --offline or choose another --experiment");
                }
                final Map<String, Long> counts = new HashMap<>();
                for (final MetricInfo m : e.metrics()) {
                    counts.put(m.name(), m.count());
                }
                if (java.nio.file.Files.exists(IngestMark.path(e.directory(), sha)
                    .resolveSibling(sha + IngestMarkRepair.REFUSED_SUFFIX))) {
                    throw new CliException("runlog check --repair removed part of the rows of " + file + " from experiment "
                        + projectName + "/" + key + " and moved its ingest mark into the salvage directory (see REPORT.txt):"
                        + " which rows it holds is not known, so ingesting it again could duplicate rows; ingest it into"
                        + " another experiment (--experiment E)");
                }
                IngestMark mark = IngestMark.read(e.directory(), sha);
                if (mark != null && mark.done) {
                    err().printf(Locale.ROOT, "%s was ingested into experiment %s/%s already (same content): nothing"
                        + " added%n", file, projectName, key);
                    return 0;
                }
                if (mark == null) {
                    checkMetricLimit(survey, counts.keySet(), limit, projectName + "/" + key);
                    mark = new IngestMark();
                    mark.fileName = file.toString();
                    mark.rows = rows;
                    for (final String m : survey.metrics.keySet()) {
                        mark.start.put(m, counts.getOrDefault(m, 0L));
                    }
                    mark.write(StoreAccess.fileSystem(storeOptions()), e.directory(), sha);
                } else {
                    resumed[0] = true;
                }
                pass2(csv, e, mark, sha, counts, added, skipped, projectName + "/" + key);
                e.sync();
                mark.done = true;
                mark.reached = Long.MAX_VALUE;
                mark.write(StoreAccess.fileSystem(storeOptions()), e.directory(), sha);
            }
        }
        if (added[0] + skipped[0] != rows) {
            throw new CliException(file + " changed while it was ingested: " + rows + " rows validated, "
                + (added[0] + skipped[0]) + " read the second time, into " + projectName + "/" + key);
        }
        err().printf(Locale.ROOT, "ingested %,d rows of %,d metrics from %s into experiment %s/%s%s%n",
            added[0], survey.metrics.size(), file, projectName, key,
            resumed[0] ? String.format(Locale.ROOT, " (resumed: %,d rows were there from the interrupted run)", skipped[0])
                : "");
        return 0;
    }

    /** The hard limit on unique metrics, for the file's new metrics, before anything is written. */
    private void checkMetricLimit(final Survey survey, final Set<String> existing, final long limit,
                                  final String experimentName) {
        long total = existing.size();
        for (final Map.Entry<String, long[]> m : survey.metrics.entrySet()) {
            if (!existing.contains(m.getKey()) && ++total > limit) {
                throw new CliException(String.format(Locale.ROOT, "%s:%d: metric '%s' would be metric number %,d of"
                        + " experiment %s, over the hard limit 'uniqueMetrics' of %,d; nothing was ingested",
                    file, m.getValue()[0], Names.preview(m.getKey()), total, experimentName, limit));
            }
        }
    }

    /**
     * Logs every row the experiment does not hold yet: per metric, the points already there from
     * an interrupted run (a prefix of the file's points of that metric) are checked, not logged
     * again.
     */
    private void pass2(final MetricCsv csv, final Experiment e, final IngestMark mark, final String sha,
                       final Map<String, Long> counts, final long[] added, final long[] skipped,
                       final String experimentName) {
        final Map<String, MetricHandle> handles = new HashMap<>();
        final Map<String, long[]> seen = new HashMap<>();          // metric -> {rows of it read so far}
        final Map<String, MetricSeries> present = new HashMap<>(); // the interrupted run's points, read on first use
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            interrupted = true;
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (final InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            System.err.println("runlog: error: interrupted at " + file + ":" + lineReached + "; experiment "
                + experimentName + " holds the rows before it, and running the same command again adds the rest");
            System.err.flush();
        }, "runlog-ingest-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            csv.read((line, metric, step, timestamped, timestamp, valueBits) -> {
                if (interrupted) {
                    lineReached = line;
                    stopped.countDown();
                    throw new CliException("interrupted at " + file + ":" + line);
                }
                final long index = seen.computeIfAbsent(metric, m -> new long[1])[0]++;
                final long start = mark.start.getOrDefault(metric, 0L);
                final long there = counts.getOrDefault(metric, 0L) - start;
                if (index < there) {
                    final MetricSeries s = present.computeIfAbsent(metric, m -> e.readMetric(m));
                    final int at = Math.toIntExact(start + index);
                    if (s.step(at) != step || s.valueBits(at) != valueBits || (timestamped && s.timestamp(at) != timestamp)) {
                        throw new CliException(file + ":" + line + ": experiment " + experimentName + " holds another"
                            + " point at index " + at + " of metric '" + Names.preview(metric) + "' than this line; it"
                            + " changed since the interrupted ingest of this file, so resuming would be wrong");
                    }
                    skipped[0]++;
                } else {
                    final MetricHandle handle = handles.computeIfAbsent(metric, e::metric);
                    try {
                        if (timestamped) {
                            handle.log(step, timestamp, Double.longBitsToDouble(valueBits));
                        } else {
                            handle.log(step, Double.longBitsToDouble(valueBits));
                        }
                    } catch (final RunlogException failed) {
                        throw new CliException(file + ":" + line + ": " + failed.getMessage() + "; experiment "
                            + experimentName + " holds the rows before this line, and running the same command"
                            + " again adds the rest", failed);
                    }
                    added[0]++;
                }
                lineReached = line;
                if ((added[0] + skipped[0]) % MARK_EVERY == 0) {
                    mark.reached = line;
                    mark.write(StoreAccess.fileSystem(storeOptions()), e.directory(), sha);
                }
            });
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException shuttingDown) {
                // the hook is running: it reports the interruption
            }
        }
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
