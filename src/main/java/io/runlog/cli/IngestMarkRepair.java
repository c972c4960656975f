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
 * by point and logs the rest: the rule it already follows after {@code kill -9}. A metric cut below
 * its {@code start} holds none of the file's points: its start becomes {@code L'}, where they will be
 * appended again. The old marks are copied into the salvage directory.
 */
final class IngestMarkRepair implements Salvage.MarkRepair {
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
            final StringBuilder lowered = new StringBuilder();
            for (final Map.Entry<String, Long> s : mark.start.entrySet()) {
                final long held = counts.getOrDefault(s.getKey(), 0L);
                if (held < s.getValue()) {
                    lowered.append(lowered.length() == 0 ? "" : ", ").append('\'').append(s.getKey()).append("' ")
                        .append(s.getValue()).append(" -> ").append(held);
                    s.setValue(held);
                }
            }
            if (!mark.done && lowered.length() == 0) {
                continue;
            }
            final Path copy = aside.resolve(StoreLayout.INGEST_MARKS_DIR).resolve(name);
            fs.createDirectories(copy.getParent());
            AtomicFile.write(fs, copy, fs.readAllBytes(file));
            mark.done = false;
            mark.reached = 0;
            mark.write(fs, dir, sha);
            actions.add("set the ingest mark of " + mark.fileName + " back to in-progress"
                + (lowered.length() == 0 ? "" : " with the start of metrics cut below it lowered (" + lowered + ")")
                + "; the old mark is in " + copy + "; running the same runlog ingest again checks the rows the"
                + " experiment still holds and adds the ones the repair removed");
        }
    }
}
