package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/**
 * Child JVM of {@link ExportCrashTest}. Mode {@code log}: logs points 0, 1, 2, ... to metric "m"
 * of llm/run, printing {@code logged N} every 10,000, until killed. Mode {@code export}: exports
 * llm/run to the archive again and again, printing {@code exported N}, until killed. Modes
 * {@code export-once} and {@code import-once}: one export of llm/run, or one import of the
 * archive into the store, then exit (the small-heap test). Arguments: mode, store directory, archive.
 */
public final class ExportChild {
    private ExportChild() {
    }

    public static void main(final String[] args) {
        if (args[0].equals("import-once")) {
            try (RunlogStore store = RunlogStore.open(Path.of(args[1]), ArchiveFixtures.options())) {
                System.out.println("imported " + store.importArchive(Path.of(args[2])).pointsAdded());
            }
            return;
        }
        if (args[0].equals("export-once")) {
            try (RunlogStore store = RunlogStore.open(Path.of(args[1]), ArchiveFixtures.options())) {
                System.out.println("exported " + store.exportExperiment("llm", "run", Path.of(args[2])).points());
            }
            return;
        }
        try (RunlogStore store = RunlogStore.open(Path.of(args[1]), ArchiveFixtures.options());
             Experiment e = store.projectOrCreate("llm", ProjectKind.LLM).openOrCreateExperiment("run")) {
            if (args[0].equals("log")) {
                final MetricHandle m = e.metric("m");
                for (long i = 0; ; i++) {
                    m.log(i, i, i * 0.5);
                    if (i % 10_000 == 0) {
                        System.out.println("logged " + i);
                    }
                }
            }
            for (long n = 1; ; n++) {
                e.export(Path.of(args[2]));
                System.out.println("exported " + n);
            }
        }
    }
}
