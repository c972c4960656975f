package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.RunlogStore;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hidden temporary files a killed export ({@code .NAME.rla.tmp-HEX}) or a killed import
 * ({@code .ID.mark.tmp-HEX}) leaves behind are removed by the next write of the same name, and a
 * temporary file a live writer (another process) still holds locked is left alone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StaleTemporariesTest {
    @TempDir
    Path dir;

    private static List<String> hidden(final Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void shouldRemoveWhatDeadExportersLeftAndKeepWhatALiveOneHolds() throws IOException {
        final Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve(".run.rla.tmp-1f2e3d4c5b6a7988"), new byte[4096]); // killed mid-write: unlocked
        Files.write(out.resolve(".run.rla.tmp-0"), new byte[0]);                    // killed before writing
        Files.write(out.resolve(".run.rla.tmp-notes"), new byte[1]);                // not ours: no hex suffix
        Files.write(out.resolve(".other.rla.tmp-abc"), new byte[1]);                // another name's
        final Path live = out.resolve(".run.rla.tmp-feedface");
        try (ChildJvm.Child holder = ChildJvm.of(io.runlog.testing.FileLockChild.class, dir.resolve("holder"))
            .args(live).start()) {
            holder.await("locked", Duration.ofMinutes(1), () -> holder.output().contains("locked"));
            try (RunlogStore s = ArchiveFixtures.open(dir.resolve("store"))) {
                ArchiveFixtures.fill(s, 10_000, 0);
                s.exportExperiment("llm", "run", out.resolve("run.rla"));
            }
            assertEquals(List.of(".other.rla.tmp-abc", ".run.rla.tmp-feedface", ".run.rla.tmp-notes"), hidden(out));
        }
    }

    @Test
    void shouldRemoveMarkTemporariesOfAKilledImportAtTheNextImport() throws IOException {
        final Path archive = dir.resolve("run.rla");
        try (RunlogStore s = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(s, 10_000, 0);
            s.exportExperiment("llm", "run", archive);
        }
        final Path marks;
        try (RunlogStore t = ArchiveFixtures.open(dir.resolve("target"))) {
            t.importArchive(archive);
            try (Experiment e = t.project("llm").openExperiment("run")) {
                marks = e.directory().resolve(io.runlog.store.StoreLayout.IMPORT_MARKS_DIR);
            }
        }
        final List<String> files;
        try (Stream<Path> list = Files.list(marks)) {
            files = list.map(p -> p.getFileName().toString()).toList();
        }
        assertEquals(1, files.size(), files::toString);
        Files.write(marks.resolve("." + files.get(0) + ".tmp-7a7a7a7a"), new byte[100]); // as a kill mid-write leaves it
        try (RunlogStore t = ArchiveFixtures.open(dir.resolve("target"))) {
            assertEquals(0, t.importArchive(archive).added());
        }
        assertEquals(List.of(), hidden(marks));
    }
}
