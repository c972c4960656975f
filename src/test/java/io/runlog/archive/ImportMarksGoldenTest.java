package io.runlog.archive;

import io.runlog.CorruptStoreException;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files of an experiment's import marks and source identity ({@code docs/format/store.md}):
 * the bytes this build writes, and that it reads them back (and refuses them damaged).
 * Run with {@code -Drunlog.golden.update=true} to rewrite them, then review the diff.
 */
class ImportMarksGoldenTest {
    private static final String SOURCE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void shouldWriteImportMarksExactlyAsTheGoldenFile() throws IOException {
        final ImportMarks marks = new ImportMarks();
        marks.put(ImportMarks.metric("loss"), 4096, 4100);
        marks.put(ImportMarks.parameter("lr"), 2, 2);
        marks.put(ImportMarks.OUTPUT, 17, 20);
        marks.put(ImportMarks.ITEMS, 1, 1);
        marks.put(ImportMarks.PROMPTS, 0, 0);
        marks.write(FileSystemFacade.DEFAULT, dir, SOURCE);
        final Path file = StoreLayout.importMarkFile(dir, SOURCE);
        compare(SOURCE + ".mark", Files.readString(file, StandardCharsets.UTF_8));
        final ImportMarks back = ImportMarks.read(FileSystemFacade.DEFAULT, dir, SOURCE);
        assertEquals(4096, back.imported(ImportMarks.metric("loss")));
        assertEquals(4100, back.targetLength(ImportMarks.metric("loss")));
        assertEquals(20, back.targetLength(ImportMarks.OUTPUT));
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThrows(CorruptStoreException.class, () -> ImportMarks.read(FileSystemFacade.DEFAULT, dir, SOURCE));
    }

    @Test
    void shouldReadTheGoldenSourceIdentity() throws IOException {
        final Path golden = Path.of("src/test/resources/golden/store", StoreLayout.SOURCE_ID_FILE);
        Files.copy(golden, StoreLayout.sourceIdFile(dir));
        assertEquals(SOURCE, SourceIdentity.of(FileSystemFacade.DEFAULT, dir));
        assertEquals(SOURCE + "\n", Files.readString(golden, StandardCharsets.US_ASCII));
        final Path fresh = Files.createDirectories(dir.resolve("fresh"));
        final String id = SourceIdentity.of(FileSystemFacade.DEFAULT, fresh);
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(id + "\n", Files.readString(StoreLayout.sourceIdFile(fresh), StandardCharsets.US_ASCII));
    }

    private static void compare(final String name, final String actual) throws IOException {
        final Path source = Path.of("src/test/resources/golden/store", name);
        if (Boolean.getBoolean("runlog.golden.update")) {
            Files.createDirectories(source.getParent());
            Files.writeString(source, actual);
        }
        assertTrue(Files.exists(source), "golden file " + source + " is missing; run with -Drunlog.golden.update=true");
        assertEquals(Files.readString(source), actual, "the on-disk format drifted from " + source);
    }
}
