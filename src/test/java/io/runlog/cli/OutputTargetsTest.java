package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.store.OutputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code export -o} and {@code plot -o} write through what the name stands for and never replace
 * it: a symbolic link's target is replaced atomically (the link stays), a FIFO and a character
 * device are written in place and stay what they are, a missing directory is refused by both, and
 * both create files with the mode a plain new file gets. The device is a private one made with
 * mknod (root only): the real /dev/null is only classified, never written, so a broken build
 * cannot damage it.
 */
class OutputTargetsTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;

    @TempDir
    Path tmp;

    private Path store;

    @BeforeEach
    void populate() {
        store = tmp.resolve("store");
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
            for (int i = 0; i < 1_000; i++) {
                e.log("loss", i, 1.0 / (i + 1));
            }
        }
    }

    private CliRunner.Result write(final String command, final Path output) {
        final List<String> args = new ArrayList<>(List.of(command, "--dir", store.toString(), "--experiment", "run",
            "-o", output.toString()));
        if (command.equals("plot")) {
            args.addAll(List.of("--metric", "loss", "--width", "300", "--height", "200"));
        }
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** What the command writes to a fresh regular file (exports are reproducible: fixed clock, same source id). */
    private byte[] reference(final String command) throws IOException {
        final Path file = Files.createDirectories(tmp.resolve("reference")).resolve(command + ".out");
        final CliRunner.Result r = write(command, file);
        assertEquals(0, r.exit(), r::toString);
        return Files.readAllBytes(file);
    }

    private static int fileType(final Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    }

    private static void assertValid(final String command, final Path file) throws IOException {
        if (command.equals("export")) {
            final CliRunner.Result v = CliRunner.run("verify", file.toString());
            assertEquals(0, v.exit(), v::toString);
        } else {
            assertEquals(300, ImageIO.read(file.toFile()).getWidth());
        }
    }

    private static List<String> hiddenFiles(final Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldReplaceTheTargetOfASymbolicLinkAndKeepTheLink(final String command) throws IOException {
        final Path real = Files.createDirectories(tmp.resolve("real"));
        final Path target = Files.writeString(real.resolve("target.out"), "old content");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        final Path links = Files.createDirectories(tmp.resolve("links"));
        final Path link = Files.createSymbolicLink(links.resolve("out.link"), Path.of("../real/target.out"));
        final CliRunner.Result r = write(command, link);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
        assertEquals(Path.of("../real/target.out"), Files.readSymbolicLink(link));
        assertValid(command, target);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
            "a replaced file keeps its mode");
        assertEquals(List.of(), hiddenFiles(real));
        assertEquals(List.of(), hiddenFiles(links));
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldCreateTheTargetOfADanglingLink(final String command) throws IOException {
        final Path link = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("created.out"));
        final CliRunner.Result r = write(command, link);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.isSymbolicLink(link));
        assertValid(command, tmp.resolve("created.out"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldWriteIntoAFifoAndLeaveItAFifo(final String command) throws Exception {
        final byte[] expected = reference(command);
        final Path fifo = tmp.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        final Path received = tmp.resolve("received");
        final Process reader = new ProcessBuilder("cat", fifo.toString()).redirectOutput(received.toFile()).start();
        try {
            final CliRunner.Result r = write(command, fifo);
            assertEquals(0, r.exit(), r::toString);
            assertTrue(reader.waitFor(30, TimeUnit.SECONDS), "the reader saw no end of the stream");
        } finally {
            reader.destroyForcibly();
        }
        assertEquals(S_IFIFO, fileType(fifo), "the FIFO must stay a FIFO");
        assertArrayEquals(expected, Files.readAllBytes(received), "the reader receives exactly the file's bytes");
        assertEquals(List.of(), hiddenFiles(tmp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldWriteIntoACharacterDeviceAndLeaveItADevice(final String command) throws Exception {
        final Path device = tmp.resolve("private-null");
        final Process mknod = new ProcessBuilder("mknod", device.toString(), "c", "1", "3").redirectErrorStream(true)
            .start();
        final String why = new String(mknod.getInputStream().readAllBytes()).strip();
        assumeTrue(mknod.waitFor() == 0, () -> "cannot make a private copy of /dev/null (needs root): " + why);
        final CliRunner.Result r = write(command, device);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(S_IFCHR, fileType(device), "the device must stay a character device");
        assertEquals(List.of(), hiddenFiles(tmp));
    }

    @Test
    void shouldClassifyTheRealDevNullAsWrittenInPlaceWithoutTouchingIt() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        final OutputFile devNull = OutputFile.resolve(Path.of("/dev/null"), "archive");
        assertTrue(devNull.direct(), "/dev/null is written in place, never replaced");
        assertEquals(S_IFCHR, fileType(Path.of("/dev/null")), "/dev/null is (still) a character device");
        assertTrue(OutputFile.resolve(tmp.resolve("new.rla"), "archive").direct() == false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldRefuseAMissingDirectoryAndADirectoryAlike(final String command) throws IOException {
        final Path missing = tmp.resolve("nosuchdir/x.out");
        final CliRunner.Result r = write(command, missing);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("runlog: error: cannot write "), r::toString);
        assertTrue(r.err().contains("directory " + tmp.resolve("nosuchdir") + " does not exist"), r::toString);
        assertFalse(Files.exists(tmp.resolve("nosuchdir")), "neither command creates the directory");
        final Path directory = Files.createDirectories(tmp.resolve("a-directory"));
        final CliRunner.Result d = write(command, directory);
        assertEquals(1, d.exit(), d::toString);
        assertTrue(d.err().contains(": it is a directory"), d::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "plot"})
    void shouldRefuseToWriteOverTheStoresOwnFilesButWriteBesideThem(final String command) throws IOException {
        final Path journal = store.resolve("projects/default/experiments/run/journal");
        final Path cycle;
        try (var files = Files.list(journal)) {
            cycle = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] before = Files.readAllBytes(cycle);
        for (final Path target : List.of(cycle, store.resolve("runlog-store.properties"),
            store.resolve("projects/default/experiments/run/new.out"))) {
            final CliRunner.Result r = write(command, target);
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains("is one of the store's own files"), r::toString);
        }
        final Path link = Files.createSymbolicLink(tmp.resolve("innocent.out"), cycle);
        final CliRunner.Result viaLink = write(command, link);
        assertEquals(1, viaLink.exit(), "a link is judged by its target: " + viaLink);
        assertArrayEquals(before, Files.readAllBytes(cycle), "the journal is untouched");
        assertEquals(0, CliRunner.run("check", "--dir", store.toString()).exit(), "the store still checks clean");
        final Path beside = Files.createDirectories(store.resolve("exports")).resolve("run.out");
        assertEquals(0, write(command, beside).exit(), "DIR/exports (the demo's) is not the store's own");
    }

    @Test
    void shouldCreateChartsAndArchivesWithTheModeOfAPlainNewFile() throws IOException {
        final Path plain = Files.write(tmp.resolve("plain"), new byte[0]); // 0666 less the umask, as any tool creates
        final String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        final Path archive = tmp.resolve("new.rla");
        final Path chart = tmp.resolve("new.png");
        assertEquals(0, write("export", archive).exit());
        assertEquals(0, write("plot", chart).exit());
        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(chart)));
        assertTrue(Arrays.asList("rw-r--r--", "rw-rw-r--", "rw-rw-rw-", "rw-------", "rw-r-----").contains(expected), expected);
    }
}
