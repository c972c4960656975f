package io.runlog.cli;

import io.runlog.MetricInfo;
import io.runlog.store.AtomicFile;
import io.runlog.store.ExperimentCut;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.Salvage;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After {@code runlog check --repair}: turns every {@code done} ingest mark ({@link IngestMark})
 * back into an in-progress one, so that running the same {@code runlog ingest} again adds exactly
 * the rows the repair removed.
 *
 * <p>Why that is exact: an ingest logs the file's points of a metric as one block at positions
 * {@code [start, start + n)} of that metric (the CLI holds the store meanwhile), and a repair keeps a
 * prefix of every stream. So a metric left with {@code L'} points holds the first
 * {@code max(0, L' - start)} of the file's points of it, and the resumed ingest checks those point
 * by point and logs the rest: the rule it already follows after {@code kill -9}. That needs every
 * metric of the file to end at or after its {@code start}. If every metric ends at or before it,
 * the experiment holds none of the file's rows: the mark moves into the salvage directory and a
 * re-ingest is a fresh, whole one. If some do and some do not, where the missing points would go
 * depends on what else is ingested first: the mark moves aside and a {@code <sha256>.refused} file
 * makes the re-ingest refuse instead of guessing. Old marks are kept in the salvage directory.
 */
final class IngestMarkRepair implements Salvage.MarkRepair {
    /** Next to where a file's mark was: the repair could not tell how to resume that file; ingesting it is refused. */
    static final String REFUSED_SUFFIX = ".refused";

    @Override
    public void afterRepair(final FileSystemFacade fs, final Path dir, final ExperimentCut cut, final Path aside,
                            final List<String> actions) throws IOException {
        final Path marks = dir.resolve(StoreLayout.INGEST_MARKS_DIR);
        if (!fs.exists(marks)) {
            return;
        }
        final Map<String, Long> counts = new HashMap<>();
        for (final MetricInfo m : cut.metrics()) {
            counts.put(m.name(), m.count());
        }
        for (final Path file : fs.list(marks)) {
            final String name = file.getFileName().toString();
            if (!name.endsWith(StoreLayout.MARK_SUFFIX)) {
                continue;
            }
            final String sha = name.substring(0, name.length() - StoreLayout.MARK_SUFFIX.length());
            final IngestMark mark;
            try {
                mark = IngestMark.read(dir, sha);
            } catch (final CliException e) {
                actions.add("left the ingest mark " + file + " as it is: " + e.getMessage());
                continue;
            }
            int below = 0;  // metrics now shorter than where the file began
            int none = 0;   // metrics holding none of the file's points
            for (final Map.Entry<String, Long> s : mark.start.entrySet()) {
                final long held = counts.getOrDefault(s.getKey(), 0L);
                below += held < s.getValue() ? 1 : 0;
                none += held <= s.getValue() ? 1 : 0;
            }
            final Path copy = aside.resolve(StoreLayout.INGEST_MARKS_DIR).resolve(name);
            fs.createDirectories(copy.getParent());
            if (none == mark.start.size() && !mark.start.isEmpty()) {
                // every metric was cut to or below where the file began: the experiment holds none of its rows
                fs.moveAtomicallyNoReplace(file, copy);
                actions.add("moved the ingest mark of " + mark.fileName + " to " + copy + ": the repair removed every"
                    + " row of that file; running the same runlog ingest again adds all of them");
            } else if (below > 0) {
                // some metrics hold a prefix of the file's points, others are shorter than where it began: a prefix
                // cut of a journal written in time order cannot do that (it would have to keep a later point and
                // drop an earlier one); defensive, for marks that do not describe this journal
                fs.moveAtomicallyNoReplace(file, copy);
                AtomicFile.write(fs, file.resolveSibling(sha + REFUSED_SUFFIX),
                    ("moved to " + copy + " by runlog check --repair\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                actions.add("moved the ingest mark of " + mark.fileName + " to " + copy + ": the repair removed some"
                    + " metrics of that file down to before the file began and left part of others, so how to resume"
                    + " it is not known; ingesting it again into this experiment is refused from now on");
            } else if (mark.done) {
                AtomicFile.write(fs, copy, fs.readAllBytes(file));
                mark.done = false;
                mark.reached = 0;
                mark.write(fs, dir, sha);
                actions.add("set the ingest mark of " + mark.fileName + " back to in-progress; the old mark is in "
                    + copy + "; running the same runlog ingest again checks the rows the experiment still holds and"
                    + " adds the ones the repair removed");
            }
        }
    }
}
