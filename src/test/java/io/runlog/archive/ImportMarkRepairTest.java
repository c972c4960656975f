package io.runlog.archive;

import io.runlog.AlreadyExistsException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.cli.RepairThenReimportTest;
import io.runlog.internal.StoreAccess;
import io.runlog.store.ExperimentCheck;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.Salvage;
import io.runlog.store.StoreCheck;
import io.runlog.store.StoreEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@link ImportMarkRepair}: marks the repair cannot lower exactly are moved aside and their source refused. */
class ImportMarkRepairTest {
    @TempDir
    Path dir;

    private static StoreOptions options() {
        return new StoreOptions().diskReserveBytes(0);
    }

    @Test
    void shouldMoveAsideAndRefuseSourcesWhoseShareOfTheCutIsNotKnown() throws Exception {
        final Path archive = dir.resolve("a.rla");
        try (RunlogStore s = RunlogStore.open(dir.resolve("client"), options());
             Experiment e = s.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
            for (int i = 0; i < 5_000; i++) {
                e.log("loss", i, 1_700_000_000_000L + i, 1.0 / (i + 1));
            }
            e.sync();
            e.export(archive);
        }
        final Path imp = dir.resolve("imp");
        final String source;
        try (RunlogStore s = RunlogStore.open(imp, options())) {
            s.importArchive(archive);
            final Path expDir = imp.resolve("projects/p/experiments/run");
            final FileSystemFacade fs = StoreAccess.fileSystem(options());
            source = ImportMarks.sources(fs, expDir).get(0);
            // a second source whose mark also reaches past the cut: the share of each in the lost points is unknown
            ImportMarks.read(fs, expDir, source).write(fs, expDir, "0".repeat(32));
        }
        RepairThenReimportTest.flipNearTheEnd(imp.resolve("projects/p/experiments/run"), 8_000);
        try (RunlogStore s = RunlogStore.open(imp, options())) {
            final StoreEngine engine = StoreAccess.engine(s);
            final ExperimentCheck c = StoreCheck.experiment(engine, "p", "run");
            assertTrue(c.damaged());
            final Salvage.Result r = Salvage.repair(engine, c, "t", List.of(new ImportMarkRepair()));
            assertTrue(r.actions().stream().anyMatch(a -> a.startsWith("moved the import marks of source " + source)),
                r.actions()::toString);
            assertTrue(Files.isRegularFile(r.salvageDir().resolve("archive-imports").resolve(source + ".mark")));
            final long held;
            try (Experiment e = s.project("p").openExperiment("run")) {
                held = e.pointCount();
            }
            assertTrue(held < 5_000, "points were cut: " + held);
            final AlreadyExistsException refused = assertThrows(AlreadyExistsException.class, () -> s.importArchive(archive));
            assertTrue(refused.getMessage().contains("import it into another experiment"), refused.getMessage());
            try (Experiment e = s.project("p").openExperiment("run")) {
                assertEquals(held, e.pointCount(), "the refused import added nothing");
            }
        }
    }
}
