package io.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Closing a store releases every file descriptor and mapping it holds", observed from the
 * operating system's side: {@code /proc/self/fd} and {@code /proc/self/maps} before opening a
 * store, while several experiments with rings and journals are open, and after closing it.
 */
class ResourceReleaseTest {
    private static final Path FD = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");

    @TempDir
    Path dir;

    @Test
    void shouldReleaseEveryDescriptorAndMappingOfTheStoreOnClose() throws IOException {
        assumeTrue(Files.isDirectory(FD), "/proc/self/fd is not available on this platform");
        // Load every class (and open every jar) the store needs before taking the baseline.
        useStore(dir.resolve("warm-up"), 1);
        final Path storeDir = Files.createDirectories(dir.resolve("store")).toRealPath();

        final Map<String, String> baseline = descriptors();
        assertEquals(List.of(), into(baseline, storeDir), "descriptors into the store before opening it");
        assertEquals(List.of(), mappingsOf(storeDir), "mappings of the store before opening it");

        final RunlogStore store = RunlogStore.open(storeDir);
        final int experiments = 4;
        final List<Experiment> open = logInto(store, experiments);
        final List<String> mapped = mappingsOf(storeDir);
        final List<String> openFds = into(descriptors(), storeDir);
        System.out.println("ResourceReleaseTest: open store holds " + openFds.size() + " descriptors and "
            + mapped.size() + " mappings in it (baseline " + baseline.size() + " descriptors)");
        assertTrue(mapped.stream().filter(m -> m.endsWith("points.ring")).count() >= experiments,
            () -> "expected a mapped ring per experiment, maps:\n" + String.join("\n", mapped));
        assertTrue(mapped.stream().anyMatch(m -> m.endsWith(".cq4")), () -> "expected mapped journals, maps:\n"
            + String.join("\n", mapped));
        open.get(0).close(); // one experiment released before the store closes, the others held open

        store.close();

        final Map<String, String> after = descriptors();
        assertEquals(List.of(), into(after, storeDir), "descriptors into the store left after close");
        assertEquals(List.of(), mappingsOf(storeDir), "mappings of the store left after close");
        assertEquals(baseline.size(), after.size(), () -> "descriptor count after close differs from before open:"
            + "\nbefore: " + baseline + "\nafter:  " + after);
    }

    private static List<Experiment> logInto(final RunlogStore store, final int experiments) {
        final Project p = store.createProject("fd", ProjectKind.EXPERIMENT_MANAGEMENT);
        final List<Experiment> open = new ArrayList<>();
        for (int i = 0; i < experiments; i++) {
            final Experiment e = p.createExperiment("run-" + i);
            open.add(e);
            final MetricHandle loss = e.metric("loss");
            final MetricHandle acc = e.metric("acc");
            for (int s = 0; s < 5_000; s++) {
                loss.log(s, 1.0 / (s + 1));
                acc.log(s, s * 1e-4);
            }
            e.logParameter("lr", 0.01);
            e.logOutput(OutputChannel.STDOUT, "line " + i);
            e.logItem(ItemType.TEXT_SAMPLE, "t" + i, Map.of(), ("payload " + i).getBytes(StandardCharsets.UTF_8));
            assertEquals(5_000, e.readMetric("acc").size());
        }
        return open;
    }

    private static void useStore(final Path storeDir, final int experiments) {
        try (RunlogStore store = RunlogStore.open(storeDir)) {
            logInto(store, experiments).forEach(Experiment::close);
        }
    }

    /** Open descriptors of this process: number to target (or "?" if it closed while listed). */
    private static Map<String, String> descriptors() throws IOException {
        final Map<String, String> fds = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD)) {
            for (final Path fd : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (final NoSuchFileException closedMeanwhile) {
                    target = "?"; // e.g. the descriptor of this very listing
                }
                fds.put(fd.getFileName().toString(), target);
            }
        }
        return fds;
    }

    private static List<String> into(final Map<String, String> fds, final Path storeDir) {
        final String prefix = storeDir.toString();
        final List<String> found = new ArrayList<>();
        fds.forEach((fd, target) -> {
            if (target.startsWith(prefix)) {
                found.add(fd + " -> " + target);
            }
        });
        return found;
    }

    private static List<String> mappingsOf(final Path storeDir) throws IOException {
        final String prefix = storeDir.toString();
        final List<String> found = new ArrayList<>();
        for (final String line : Files.readAllLines(MAPS, StandardCharsets.UTF_8)) {
            if (line.contains(prefix)) {
                found.add(line.replaceFirst(" \\(deleted\\)$", ""));
            }
        }
        return found;
    }
}
