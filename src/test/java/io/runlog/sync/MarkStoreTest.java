package io.runlog.sync;

import io.runlog.StoreAccessException;
import io.runlog.store.FileSystemFacade;
import io.runlog.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkStoreTest {
    private static final URI SERVER = URI.create("http://127.0.0.1:8080");

    @TempDir
    Path dir;

    @Test
    void aWrittenMarkReadsBackPerServerProjectAndExperiment() {
        final MarkStore marks = new MarkStore(FileSystemFacade.DEFAULT, dir.resolve("sync-client"));
        assertTrue(marks.read(SERVER, "p", "e").isEmpty());
        marks.write(SERVER, "p", "e", new byte[] {1, 2, 3});
        marks.write(SERVER, "p", "f", new byte[] {4});
        marks.write(URI.create("http://other:1"), "p", "e", new byte[] {5});
        assertArrayEquals(new byte[] {1, 2, 3}, marks.read(SERVER, "p", "e").orElseThrow());
        assertArrayEquals(new byte[] {4}, marks.read(SERVER, "p", "f").orElseThrow());
        assertArrayEquals(new byte[] {5}, marks.read(URI.create("http://other:1"), "p", "e").orElseThrow());
        marks.write(SERVER, "p", "e", new byte[] {9, 9});
        assertArrayEquals(new byte[] {9, 9}, marks.read(SERVER, "p", "e").orElseThrow());
    }

    @Test
    void aDamagedMarkReadsAsAbsentSoTheServersMarkDecides() throws IOException {
        final MarkStore marks = new MarkStore(FileSystemFacade.DEFAULT, dir);
        marks.write(SERVER, "p", "e", new byte[] {1, 2, 3});
        final Path file = marks.file(SERVER, "p", "e");
        final byte[] text = Files.readAllBytes(file);
        final String s = new String(text, StandardCharsets.UTF_8);
        Files.writeString(file, s.replace("mark AQID", "mark AQIE"));
        assertTrue(marks.read(SERVER, "p", "e").isEmpty(), "a flipped byte fails the CRC");
        Files.write(file, java.util.Arrays.copyOf(text, text.length / 2));
        assertTrue(marks.read(SERVER, "p", "e").isEmpty(), "a truncated file");
        Files.writeString(file, "");
        assertTrue(marks.read(SERVER, "p", "e").isEmpty(), "an empty file");
        // a mark copied over another experiment's file is not taken for it
        marks.write(SERVER, "p", "other", new byte[] {7});
        Files.copy(marks.file(SERVER, "p", "other"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(marks.read(SERVER, "p", "e").isEmpty());
    }

    @Test
    void aFailedRenameLeavesTheOldMarkWholeAndNoTemporaryFile() throws IOException {
        final FaultyFileSystem fs = new FaultyFileSystem();
        final MarkStore marks = new MarkStore(fs, dir);
        marks.write(SERVER, "p", "e", new byte[] {1});
        fs.onMove((source, target) -> {
            throw new IOException("injected rename failure");
        });
        final StoreAccessException e = assertThrows(StoreAccessException.class,
            () -> marks.write(SERVER, "p", "e", new byte[] {2}));
        assertTrue(e.getMessage().contains("sync mark"), e.getMessage());
        assertArrayEquals(new byte[] {1}, marks.read(SERVER, "p", "e").orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the mark file remains");
        }
    }

    @Test
    void fileNamesDifferPerKeyAndNeverContainTheNames() {
        final MarkStore marks = new MarkStore(FileSystemFacade.DEFAULT, dir);
        assertNotEquals(marks.file(SERVER, "p", "e"), marks.file(SERVER, "pe", ""));
        assertTrue(marks.file(SERVER, "secret-project", "e").getFileName().toString().matches("[0-9a-f]{32}\\.mark"));
    }
}
