package io.runlog.isolation;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Opening a store never writes outside its directory": a child JVM whose home directory
 * ({@code user.home}, {@code HOME} and the XDG base directories all pointing into one empty
 * directory) and working directory are fresh, uses every part of the public API, and leaves both
 * exactly as they were apart from the store directory itself. Catches dependencies that drop
 * files into the home directory on first use (JNA's cache, Chronicle's analytics client id and
 * similar).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NoHomeDirectoryWritesTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteNothingOutsideTheStoreDirectory() throws IOException {
        probe(HomeProbeChild.class, "every write read back", "store", "store");
    }

    /** Every command of the CLI, plot and demo included (the JDK's font cache once went to ~/.java/fonts). */
    @Test
    void shouldWriteNothingOutsideTheOutputPathsForEveryCommand() throws IOException {
        probe(CliProbeChild.class, "every command ran", "out", "out/store");
    }

    private void probe(final Class<?> main, final String success, final String allowed, final String store)
        throws IOException {
        final Path home = Files.createDirectories(dir.resolve("home"));
        final Path work = Files.createDirectories(dir.resolve("work"));
        final ChildJvm.Child child = ChildJvm.of(main, dir)
            .jvmArg("-Duser.home=" + home)
            .env("HOME", home.toString())
            .env("XDG_CACHE_HOME", home.resolve(".cache").toString())
            .env("XDG_CONFIG_HOME", home.resolve(".config").toString())
            .env("XDG_DATA_HOME", home.resolve(".local/share").toString())
            .env("XDG_STATE_HOME", home.resolve(".local/state").toString())
            .workingDir(work)
            .args("store")
            .start();
        final int exit;
        try (child) {
            exit = child.awaitExit(Duration.ofSeconds(150));
        }
        assertEquals(0, exit, () -> "probe child failed; its output:\n" + child.output());
        assertTrue(child.output().contains(success), () -> "probe child output:\n" + child.output());

        final List<String> inHome = listRecursively(home);
        assertEquals(List.of(), inHome, () -> "the child wrote into its home directory " + home + ":\n"
            + String.join("\n", inHome));
        final List<String> inWork = listRecursively(work).stream()
            .filter(p -> !p.equals(allowed + "/") && !p.startsWith(allowed + "/"))
            .collect(Collectors.toList());
        assertEquals(List.of(), inWork, () -> "the child wrote into its working directory " + work
            + " outside " + allowed + ":\n" + String.join("\n", inWork));
        assertTrue(Files.isRegularFile(work.resolve(store + "/runlog-store.properties")), "store not where it was opened");
        System.out.println("NoHomeDirectoryWritesTest(" + main.getSimpleName() + "): home empty, working directory holds"
            + " only " + allowed + "; child java.io.tmpdir holds " + listRecursively(dir.resolve("tmp")));
    }

    private static List<String> listRecursively(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root))
                .map(p -> root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                .sorted()
                .collect(Collectors.toList());
        }
    }
}
