package io.runlog.archive;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment's archive source identity is checked: {@code archive-source.id} has a checked copy
 * in {@code experiment.properties}, so a changed digit is refused (not exported as another source,
 * whose archives an importer would take in again) and a lost file is restored, not replaced by a
 * new identity (found by the damage fuzzer: a flipped bit or a deleted file exported the
 * experiment under another identity without an error).
 */
class SourceIdDamageTest {
    @TempDir
    Path dir;

    private final StoreOptions options = new StoreOptions().diskReserveBytes(0);

    private Path exported(final Path store) {
        try (RunlogStore s = RunlogStore.open(store, options);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("m").log(1, 1, 0.5);
            e.export(dir.resolve("first.rla"));
            return e.directory();
        }
    }

    private String exportAgain(final Path store, final String name, final boolean readOnly) {
        try (RunlogStore s = readOnly ? RunlogStore.openReadOnly(store, options) : RunlogStore.open(store, options);
             Experiment e = s.project("p").openExperiment("e")) {
            final Path archive = dir.resolve(name);
            e.export(archive);
            final String[] id = {null};
            try (ArchiveReader r = ArchiveReader.open(archive)) {
                r.read(new ArchiveVisitor() {
                    @Override
                    public void experiment(final ArchiveHeader header) {
                        id[0] = header.sourceId();
                    }
                });
            }
            return id[0];
        }
    }

    @Test
    void shouldRefuseToExportUnderAnIdentityWithAChangedDigit() throws IOException {
        final Path store = dir.resolve("s");
        final Path exp = exported(store);
        final Path file = StoreLayout.sourceIdFile(exp);
        final String id = Files.readString(file).strip();
        final char first = id.charAt(0);
        Files.writeString(file, (first == '0' ? '1' : '0') + id.substring(1) + "\n");
        for (final boolean readOnly : new boolean[]{false, true}) {
            final CorruptStoreException e = assertThrows(CorruptStoreException.class,
                () -> exportAgain(store, "again.rla", readOnly));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(id), e.getMessage());
        }
    }

    @Test
    void shouldRestoreALostIdentityFromItsCheckedCopy() throws IOException {
        final Path store = dir.resolve("s");
        final Path exp = exported(store);
        final Path file = StoreLayout.sourceIdFile(exp);
        final String id = Files.readString(file).strip();
        Files.delete(file);
        assertEquals(id, exportAgain(store, "read-only.rla", true), "a read-only export uses the checked copy");
        assertEquals(id, exportAgain(store, "again.rla", false));
        assertEquals(id, Files.readString(file).strip(), "restored");
    }

    @Test
    void shouldAdoptTheIdentityAnOlderBuildWroteWithoutACopy() throws IOException {
        final Path store = dir.resolve("s");
        final Path exp = exported(store);
        final Path props = StoreLayout.experimentFile(exp);
        final String id = Files.readString(StoreLayout.sourceIdFile(exp)).strip();
        assertTrue(Files.readString(props).contains("sourceId=" + id), Files.readString(props));
        // an older build's experiment: no copy, written without one (format 2, its check recomputed)
        try (RunlogStore s = RunlogStore.open(dir.resolve("old"), options);
             Experiment e = s.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.metric("m").log(1, 1, 0.5);
            Files.copy(props, dir.resolve("with-copy.properties"));
        }
        final Path oldProps = StoreLayout.experimentFile(dir.resolve("old/projects/p/experiments/e"));
        io.runlog.store.OlderBuildFiles.forgetSourceIdCopy(oldProps.getParent()); // as an older build wrote it
        Files.copy(oldProps, props, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(id, exportAgain(store, "again.rla", false), "the file is trusted as it is");
        assertTrue(Files.readString(props).contains("sourceId=" + id), "and its copy recorded");
    }
}
