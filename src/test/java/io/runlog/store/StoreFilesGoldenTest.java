package io.runlog.store;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files of the store's own metadata files ({@code docs/format/store.md}): the three
 * properties files as this build writes them (format 2, whole: header line, sorted keys, CRC32C
 * line, no date line), and the journal manifest's bytes.
 * Run with {@code -Drunlog.golden.update=true} to rewrite them, then review the diff.
 */
class StoreFilesGoldenTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldWriteThePropertiesFilesExactlyAsTheGoldenFiles() throws IOException {
        final StoreOptions options = new StoreOptions().clock(() -> T0).diskReserveBytes(0);
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            store.createProject("golden", ProjectKind.LLM).createOfflineExperiment("exp-1").close();
        }
        final Path experiment = StoreLayout.experimentDir(dir, "golden", "exp-1");
        compare("runlog-store.properties", wholeFile(StoreLayout.storeFile(dir)));
        compare("project.properties", wholeFile(StoreLayout.projectsDir(dir).resolve("golden").resolve(StoreLayout.PROJECT_FILE)));
        // a new experiment's identity is random (128 bits): its copy must name the file's, and the
        // golden holds the file as the same writer writes it with a fixed identity
        final String id = Files.readString(StoreLayout.sourceIdFile(experiment), StandardCharsets.US_ASCII).strip();
        assertEquals(id, SourceIdRecord.recorded(FileSystemFacade.DEFAULT, experiment), "the checked copy of the identity");
        SourceIdRecord.record(FileSystemFacade.DEFAULT, experiment, "00112233445566778899aabbccddeeff");
        compare("experiment.properties", wholeFile(StoreLayout.experimentFile(experiment)));
    }

    @Test
    void shouldWriteTheJournalManifestExactlyAsTheGoldenFile() throws IOException {
        final JournalManifest.Content content = new JournalManifest.Content(true, new int[]{20_000, 20_001}, new long[]{5, 4_097});
        final byte[] bytes = JournalManifest.encode(content);
        assertEquals(ManifestDescriptor.length(2), bytes.length);
        compare("journal.manifest.hex", HexFormat.of().formatHex(bytes) + "\n");
        final JournalManifest.Content back = JournalManifest.parse(Path.of("golden"), bytes);
        assertTrue(back.ringInUse());
        assertArrayEquals(content.cycles(), back.cycles());
        assertArrayEquals(content.records(), back.records());
    }

    @Test
    void shouldReadTheManifestAStoreWritesAtClose() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0));
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.logParameter("a", "b");
        }
        final JournalManifest.Content m = new JournalManifest(FileSystemFacade.DEFAULT,
            StoreLayout.experimentDir(dir, "p", "e")).read();
        assertFalse(m.ringInUse());
        assertEquals(2, Arrays.stream(m.records()).sum(), "the header and the parameter");
    }

    /** A properties file whole: format 2 has no date line (docs/format/metadata-files.md). */
    private static String wholeFile(final Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(PropertiesFile.HEADER), "format 2 starts with its header line: " + text);
        return text;
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
