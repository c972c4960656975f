package io.runlog.cli;

import io.runlog.store.AtomicFile;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code runlog ingest} records in the experiment about one CSV file, identified by the
 * SHA-256 of its bytes: {@code ingest-marks/<sha256>.mark} in the experiment's directory, written
 * whole (temporary file, fsync, rename) before the first point is logged, then every 65,536 rows,
 * then once more, {@code done}, after the experiment was synced.
 *
 * <p>For every metric of the file it holds the metric's point count before this file was
 * ingested ({@code start}). Points are logged in file order and each is durable once logged, so
 * after SIGINT, {@code kill -9} or a full disk each metric holds a prefix of the file's points
 * of that metric beyond {@code start}; a rerun checks that prefix point by point and logs only the
 * rest. A file already {@code done} adds nothing. The {@code reached} line is progress, for
 * people (and tests), not for correctness.
 *
 * <pre>
 * runlog-ingest-mark 1
 * state in-progress|done
 * file NAME AS GIVEN
 * rows N
 * reached LINE
 * start COUNT METRIC        (one line per metric of the file, tab-separated)
 * </pre>
 */
final class IngestMark {
    private static final String MAGIC = "runlog-ingest-mark 1";

    boolean done;
    String fileName = "";
    long rows;
    long reached;
    /** Metric name to its point count before this file. */
    final Map<String, Long> start = new LinkedHashMap<>();

    static Path path(final Path experimentDir, final String sha256) {
        return StoreLayout.ingestMarkFile(experimentDir, sha256);
    }

    /** The mark, or null if this file was never ingested into the experiment. */
    static IngestMark read(final Path experimentDir, final String sha256) {
        final Path file = path(experimentDir, sha256);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            final String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
            if (lines.length < 5 || !lines[0].equals(MAGIC)) {
                throw damaged(file, "no header");
            }
            final IngestMark m = new IngestMark();
            m.done = lines[1].equals("state\tdone");
            m.fileName = lines[2].substring(lines[2].indexOf('\t') + 1);
            m.rows = Long.parseLong(lines[3].substring(lines[3].indexOf('\t') + 1));
            m.reached = Long.parseLong(lines[4].substring(lines[4].indexOf('\t') + 1));
            for (int i = 5; i < lines.length; i++) {
                final String[] f = lines[i].split("\t", 3);
                m.start.put(f[2], Long.parseLong(f[1]));
            }
            return m;
        } catch (final IOException e) {
            throw new CliException("cannot read ingest mark " + file + ": " + io.runlog.internal.IoErrors.describe(e, file), e);
        } catch (final RuntimeException e) {
            if (e instanceof CliException) {
                throw e;
            }
            throw damaged(file, e instanceof NumberFormatException ? "a count is not a number: " + e.getMessage()
                .replace("For input string: ", "") : "a malformed line");
        }
    }

    /**
     * The mark cannot say how much of the file the experiment holds; deleting it would ingest the
     * rows already there a second time, so the advice is another experiment.
     */
    private static CliException damaged(final Path file, final String what) {
        return new CliException("ingest mark " + file + " is damaged (" + what + "): it cannot tell how many of the"
            + " file's rows the experiment holds; ingest into another experiment (--experiment E), or delete the mark"
            + " only if the experiment holds none of them");
    }

    void write(final FileSystemFacade fs, final Path experimentDir, final String sha256) {
        final StringBuilder b = new StringBuilder(MAGIC).append('\n')
            .append("state\t").append(done ? "done" : "in-progress").append('\n')
            .append("file\t").append(fileName.replace('\n', ' ')).append('\n')
            .append("rows\t").append(rows).append('\n')
            .append("reached\t").append(reached).append('\n');
        for (final Map.Entry<String, Long> e : start.entrySet()) {
            b.append("start\t").append(e.getValue()).append('\t').append(e.getKey()).append('\n');
        }
        final Path file = path(experimentDir, sha256);
        try {
            fs.createDirectories(file.getParent());
            AtomicFile.write(fs, file, b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new CliException("cannot write ingest mark " + file + ": " + io.runlog.internal.IoErrors.describe(e, file), e);
        }
    }
}
