package io.runlog.isolation;

import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * JNA's directory ({@code jna.tmpdir}) is private to each user: after root has used Runlog, user
 * {@code nobody} (a real other uid, through {@code setpriv}) uses it too without a single JNA
 * warning, in a directory of its own ({@code runlog-nobody/jna}, 0700, owned by nobody); and a
 * directory planted under nobody's name by another user is never used. The children share one
 * {@code java.io.tmpdir} (mode 1777, like /tmp) and a world-readable copy of the class path.
 * Needs root and setpriv; skipped with the reason otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrivateJnaDirectoryTest {
    private static final String NOBODY = "65534";

    @TempDir
    Path dir;

    private Path sharedTmp;
    private String classPath;

    @Test
    void shouldGiveEveryUserAPrivateJnaDirectoryAndNeverUseAPlantedOne() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a child as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv (util-linux)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sharedTmp = stickyTmp("tmp");
        classPath = readableClassPath();

        final Run asRoot = run(null, "root-work");
        assertEquals(0, asRoot.exit, asRoot.output);
        assertPrivate(sharedTmp.resolve("runlog-root"), "root");
        assertPrivate(sharedTmp.resolve("runlog-root/jna"), "root");

        final Run asNobody = run(NOBODY, "nobody-work");
        assertEquals(0, asNobody.exit, asNobody.output);
        assertFalse(asNobody.output.contains("JNA") || asNobody.output.contains("Exception"),
            () -> "nobody's run printed JNA warnings:\n" + asNobody.output);
        assertPrivate(sharedTmp.resolve("runlog-nobody"), "nobody");
        assertPrivate(sharedTmp.resolve("runlog-nobody/jna"), "nobody");

        // root plants nobody's directory first, open to all, in another /tmp: nobody must not use it
        sharedTmp = stickyTmp("tmp-planted");
        final Path planted = sharedTmp.resolve("runlog-nobody");
        Files.createDirectories(planted.resolve("jna"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(planted.resolve("jna"), PosixFilePermissions.fromString("rwxrwxrwx"));
        final Run asPlanted = run(NOBODY, "planted-work");
        assertEquals(0, asPlanted.exit, asPlanted.output);
        assertEquals("root", Files.getOwner(planted).getName());
        assertFalse(asPlanted.output.contains("JNA") || asPlanted.output.contains("Exception"), asPlanted.output);
        try (Stream<Path> inside = Files.list(planted.resolve("jna"))) {
            assertEquals(0, inside.count(), "nothing was written into the planted directory");
        }
    }

    private record Run(int exit, String output) {
    }

    private Path stickyTmp(final String name) throws IOException, InterruptedException {
        final Path t = Files.createDirectories(dir.resolve(name));
        assertEquals(0, new ProcessBuilder("chmod", "1777", t.toString()).start().waitFor());
        return t;
    }

    /** HomeProbeChild (store open, experiment created: Chronicle loads JNA) as root (uid null) or as {@code uid}. */
    private Run run(final String uid, final String work) throws IOException, InterruptedException {
        final Path workDir = Files.createDirectories(dir.resolve(work));
        final Path home = Files.createDirectories(dir.resolve(work + "-home"));
        final List<String> cmd = new ArrayList<>();
        if (uid != null) {
            cmd.addAll(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
            assertEquals(0, new ProcessBuilder("chown", uid, workDir.toString(), home.toString()).start().waitFor());
        }
        cmd.add(ChildJvm.javaExecutable());
        cmd.addAll(ChildJvm.requiredJvmFlags());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            "-Djava.io.tmpdir=" + sharedTmp, "-Duser.home=" + home));
        cmd.addAll(List.of("-cp", classPath, HomeProbeChild.class.getName(), "store"));
        final Path log = dir.resolve(work + ".log");
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        pb.environment().put("HOME", home.toString());
        final Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void assertPrivate(final Path p, final String owner) throws IOException {
        assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), p + " is not a directory");
        assertEquals(owner, Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName(), p + " owner");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)),
            p + " mode");
    }

    /** A copy of this JVM's class path that other users can read (the Maven repository under /root is not). */
    private String readableClassPath() throws IOException, InterruptedException {
        final Path copy = Files.createDirectories(dir.resolve("cp"));
        final List<String> entries = new ArrayList<>();
        int i = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            final Path to = copy.resolve((i++) + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> walk = Files.walk(from)) {
                    for (final Path f : (Iterable<Path>) walk::iterator) {
                        final Path t = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        assertEquals(0, new ProcessBuilder("chmod", "-R", "a+rX", copy.toString()).start().waitFor());
        return String.join(File.pathSeparator, entries);
    }
}
