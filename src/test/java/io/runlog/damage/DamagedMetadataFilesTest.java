package io.runlog.damage;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A damaged or missing metadata file is refused with a typed error naming it, never read as a
 * smaller store (the holes the damage fuzzer found on main: a deleted {@code experiment.properties}
 * or {@code project.properties} hid the experiment or project and its data without a word).
 */
class DamagedMetadataFilesTest {
    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    private Path store() {
        final Path s = dir.resolve("store");
        try (RunlogStore store = RunlogStore.open(s, options);
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("m").log(1, 1.5);
        }
        return s;
    }

    @Test
    void shouldListAnExperimentWhoseFileIsDeletedAndRefuseToOpenIt() throws Exception {
        final Path file = store().resolve("projects/p/experiments/e/experiment.properties");
        Files.delete(file);
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options)) {
            assertEquals(List.of("e"), store.project("p").experimentKeys());
            final RunlogException e = assertThrows(CorruptStoreException.class, () -> store.project("p").openExperiment("e"));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            // Nor is it created anew over its data.
            assertThrows(RunlogException.class, () -> store.project("p").openOrCreateExperiment("e"));
        }
    }

    @Test
    void shouldRefuseAProjectWhoseFileIsDeleted() throws Exception {
        final Path file = store().resolve("projects/p/project.properties");
        Files.delete(file);
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options)) {
            final RunlogException e = assertThrows(CorruptStoreException.class, () -> store.project("p"));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertThrows(CorruptStoreException.class, store::projects);
            assertThrows(CorruptStoreException.class, () -> store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT));
        }
    }

    @Test
    void shouldRefuseAnExperimentFileWithAChangedDigit() throws Exception {
        final Path file = store().resolve("projects/p/experiments/e/experiment.properties");
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        final int at = text.indexOf("created=") + "created=".length() + 5;
        final char[] chars = text.toCharArray();
        chars[at] = chars[at] == '7' ? '8' : '7';
        Files.writeString(file, new String(chars), StandardCharsets.UTF_8);
        try (RunlogStore store = RunlogStore.open(dir.resolve("store"), options)) {
            final RunlogException e = assertThrows(CorruptStoreException.class, () -> store.project("p").openExperiment("e"));
            assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        }
    }
}
