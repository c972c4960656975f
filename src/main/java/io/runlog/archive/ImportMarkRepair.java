package io.runlog.archive;

import io.runlog.RunlogException;
import io.runlog.store.ExperimentCut;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.Salvage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: after {@code runlog check --repair}, lowers each import source's marks
 * ({@link ImportMarks}) by what the repair removed, so that re-importing the archive (or the next
 * sync segment, whose server mark is the same file) brings back exactly the lost entries.
 *
 * <p>For a stream of the experiment the repair left {@code L'} entries. A mark {@code (imported I,
 * targetLength L)} with {@code L <= L'} is untouched: everything it counts is still held. With
 * {@code L > L'} the target positions {@code [L', L)} are gone; when this source is the only one
 * whose mark reaches past {@code L'} on that stream, those positions held its entries (an import
 * appends its entries at the stream's end and records that end), so the source still holds
 * {@code I - (L - L')} and the mark becomes {@code (max(0, I - (L - L')), L')}. Entries a logger
 * or another source wrote between this source's entries before {@code L} would make that an
 * under-count; when several sources' marks reach past {@code L'} on one stream, the share of each
 * is not known: those marks are moved aside into the salvage directory and the importer then
 * refuses these sources (see {@link #REFUSED_SUFFIX}) rather than guess and duplicate.
 * The old mark files are copied into the salvage directory first.
 */
public final class ImportMarkRepair implements Salvage.MarkRepair {
    /**
     * Next to a source's mark: a file {@code <source id>.refused} says a repair could not tell how
     * much of that source the experiment still holds; imports of that source are refused.
     */
    static final String REFUSED_SUFFIX = ".refused";

    @Override
    public void afterRepair(final FileSystemFacade fs, final Path dir, final ExperimentCut cut, final Path aside,
                            final List<String> actions) throws IOException {
        final List<String> sources = ImportMarks.sources(fs, dir);
        if (sources.isEmpty()) {
            return;
        }
        final Map<String, Long> lengths = ArchiveImporter.lengths(cut);
        final Map<String, ImportMarks> marks = new HashMap<>();
        final Map<String, Integer> crossing = new HashMap<>();
        for (final String id : sources) {
            final ImportMarks m;
            try {
                m = ImportMarks.read(fs, dir, id);
            } catch (final RunlogException e) {
                actions.add("left the import marks of source " + id + " as they are: " + e.getMessage());
                continue;
            }
            marks.put(id, m);
            for (final Map.Entry<String, long[]> s : m.streams.entrySet()) {
                if (s.getValue()[1] > lengths.getOrDefault(s.getKey(), 0L)) {
                    crossing.merge(s.getKey(), 1, Integer::sum);
                }
            }
        }
        for (final Map.Entry<String, ImportMarks> e : marks.entrySet()) {
            final String id = e.getKey();
            final ImportMarks m = e.getValue();
            final ImportMarks lowered = new ImportMarks();
            final StringBuilder what = new StringBuilder();
            boolean ambiguous = false;
            for (final Map.Entry<String, long[]> s : m.streams.entrySet()) {
                final long imported = s.getValue()[0];
                final long markLength = s.getValue()[1];
                final long held = lengths.getOrDefault(s.getKey(), 0L);
                if (markLength <= held) {
                    lowered.put(s.getKey(), imported, markLength);
                    continue;
                }
                if (crossing.get(s.getKey()) > 1) {
                    ambiguous = true;
                }
                final long now = Math.max(0, imported - (markLength - held));
                lowered.put(s.getKey(), now, held);
                what.append(what.length() == 0 ? "" : ", ").append(describe(s.getKey())).append(' ')
                    .append(imported).append(" -> ").append(now);
            }
            if (what.length() == 0) {
                continue;
            }
            final Path file = ImportMarks.file(dir, id);
            final Path copy = aside.resolve("archive-imports").resolve(file.getFileName());
            fs.createDirectories(copy.getParent());
            if (ambiguous) {
                fs.moveAtomicallyNoReplace(file, copy);
                io.runlog.store.AtomicFile.write(fs, file.resolveSibling(id + REFUSED_SUFFIX),
                    ("moved to " + copy + " by runlog check --repair\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                actions.add("moved the import marks of source " + id + " to " + copy + ": the repair removed entries"
                    + " of several sources (" + what + "), how many of this one's is not known; imports of this"
                    + " source are refused from now on (import that archive into another experiment)");
            } else {
                io.runlog.store.AtomicFile.write(fs, copy, fs.readAllBytes(file));
                lowered.write(fs, dir, id);
                actions.add("lowered the import marks of source " + id + " by what the repair removed (" + what
                    + "); the old marks are in " + copy + "; importing the source's archive again (or its next"
                    + " sync segment) adds the lost entries");
            }
        }
    }

    private static String describe(final String stream) {
        if (stream.startsWith("m\t")) {
            return "metric '" + stream.substring(2) + "'";
        }
        if (stream.startsWith("p\t")) {
            return "parameter '" + stream.substring(2) + "'";
        }
        return switch (stream) {
            case ImportMarks.OUTPUT -> "output lines";
            case ImportMarks.ITEMS -> "items";
            default -> "prompts";
        };
    }
}
