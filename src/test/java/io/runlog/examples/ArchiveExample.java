package io.runlog.examples;

import io.runlog.ExportResult;
import io.runlog.Experiment;
import io.runlog.ImportResult;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/** The README's archive example, compiled and run by {@link ArchiveExampleTest}. */
final class ArchiveExample {
    private ArchiveExample() {
    }

    static void archive(final Path harnessDir, final Path serverDir, final Path file) {
        // tag::archive[]
        try (RunlogStore offline = RunlogStore.open(harnessDir);             // the harness, no network
             Experiment run = offline.projectOrCreate("vision", ProjectKind.EXPERIMENT_MANAGEMENT)
                                     .createOfflineExperiment("resnet50-seed1")) {
            run.log("loss", 0, 2.5);
            ExportResult exported = run.export(file);   // any time, also while logging or after a crash
        }
        try (RunlogStore server = RunlogStore.open(serverDir)) {              // the tracking server
            ImportResult result = server.importArchive(file);   // verified first; idempotent; resumable
            ImportResult again = server.importArchive(file);    // adds nothing: again.added() == 0
        }
        // end::archive[]
    }
}
