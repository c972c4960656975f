package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.RunlogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Metadata files of format 2 ({@code docs/format/metadata-files.md}) end in a CRC32C line: this
 * build writes the golden file byte for byte, reads it, refuses every flipped bit and every cut
 * of it with a {@link CorruptStoreException} naming the file, and still reads format 1 files.
 */
class PropertiesFileCheckTest {
    private static final String GOLDEN = "/golden/experiment-properties-v2.txt";

    @TempDir
    Path dir;

    private static Properties experiment() {
        final Properties p = new Properties();
        p.setProperty("key", "resnet-a");
        p.setProperty("created", "1780000000000");
        p.setProperty("offline", "false");
        return p;
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = PropertiesFileCheckTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN);
            return in.readAllBytes();
        }
    }

    @Test
    void shouldWriteTheGoldenFileByteForByte() throws IOException {
        assertEquals(new String(golden(), StandardCharsets.UTF_8),
            new String(PropertiesFile.encode(experiment(), "experiment 'resnet-a' in project 'vision'"),
                StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheGoldenFile() throws IOException {
        final Path f = dir.resolve("experiment.properties");
        Files.write(f, golden());
        assertEquals(experiment(), PropertiesFile.read(FileSystemFacade.DEFAULT, f));
    }

    @Test
    void shouldRefuseEveryFlippedBitOfTheGoldenFile() throws IOException {
        final byte[] g = golden();
        final Path f = dir.resolve("experiment.properties");
        for (int i = 0; i < g.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                final byte[] m = g.clone();
                m[i] ^= (byte) (1 << bit);
                Files.write(f, m);
                final int at = i;
                final int b = bit;
                final RunlogException e = assertThrows(CorruptStoreException.class,
                    () -> PropertiesFile.read(FileSystemFacade.DEFAULT, f), () -> "bit " + b + " of byte " + at);
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            }
        }
    }

    @Test
    void shouldNeverReadAPropertyFromACutOfTheGoldenFile() throws IOException {
        final byte[] g = golden();
        final Path f = dir.resolve("experiment.properties");
        for (int len = 0; len < g.length; len++) {
            Files.write(f, Arrays.copyOf(g, len));
            final int cut = len;
            if (len >= PropertiesFile.HEADER_WORD.length()) {
                assertThrows(CorruptStoreException.class, () -> PropertiesFile.read(FileSystemFacade.DEFAULT, f),
                    () -> "cut to " + cut + " bytes");
            } else {
                // Shorter than the first line: a comment or nothing, so no key, and the reader of a required key refuses.
                final Properties read = PropertiesFile.read(FileSystemFacade.DEFAULT, f);
                assertTrue(read.isEmpty(), () -> "cut to " + cut + " bytes read " + read);
                assertThrows(CorruptStoreException.class, () -> PropertiesFile.requireLong(read, f, "created"));
            }
        }
    }

    @Test
    void shouldRefuseBytesAfterTheCheckLine() throws IOException {
        final Path f = dir.resolve("experiment.properties");
        final byte[] g = golden();
        final byte[] longer = Arrays.copyOf(g, g.length + 9);
        System.arraycopy("created=1".getBytes(StandardCharsets.UTF_8), 0, longer, g.length, 9);
        Files.write(f, longer);
        assertThrows(CorruptStoreException.class, () -> PropertiesFile.read(FileSystemFacade.DEFAULT, f));
    }

    @Test
    void shouldReadAFormat1FileUnchecked() throws IOException {
        final Path f = dir.resolve("experiment.properties");
        Files.writeString(f, "#experiment 'resnet-a' in project 'vision'\n#Thu Dec 03 10:00:00 UTC 2026\n"
            + "created=1780000000000\nkey=resnet-a\noffline=false\n");
        assertEquals(experiment(), PropertiesFile.read(FileSystemFacade.DEFAULT, f));
    }

    @Test
    void shouldRefuseAnOfflineFlagThatIsNeitherTrueNorFalse() {
        final Properties p = experiment();
        p.setProperty("offline", "frue");
        assertThrows(CorruptStoreException.class,
            () -> PropertiesFile.booleanOr(p, dir.resolve("experiment.properties"), "offline", false));
    }
}
