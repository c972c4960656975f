package io.runlog.readonly;

import io.runlog.ReadOnlyOpenTest;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store on read-only media: a child JVM ({@link ReadOnlyMediaChild}) in its own mount namespace
 * ({@code unshare --mount}), where the store directory is bind-mounted read-only, so that even
 * root cannot write it (a {@code chmod -w} does not stop root). The bind mount vanishes with the
 * child. Skipped where mount namespaces are not available (no {@code unshare}, or no
 * CAP_SYS_ADMIN); {@code ReadOnlyOpenTest} covers a file-system facade that refuses every write
 * in every environment.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReadOnlyMediaTest {
    @TempDir
    Path tmp;

    private static final String BIND_RO = "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" \"$0\" && exec \"$@\"";

    private static boolean mountNamespacesWork(final Path dir) {
        try {
            final Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", BIND_RO,
                dir.toString(), "true").redirectErrorStream(true).start();
            final boolean done = p.waitFor(30, TimeUnit.SECONDS);
            return done && p.exitValue() == 0;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void shouldReadAStoreOnAReadOnlyBindMountThatEvenRootCannotWriteAndLeaveItUnchanged() throws Exception {
        final Path store = tmp.resolve("store");
        ReadOnlyOpenTest.writeSampleStore(store);
        Assumptions.assumeTrue(mountNamespacesWork(store), "unshare --mount with a read-only bind mount is not available");
        final Map<String, String> before = ReadOnlyOpenTest.snapshotOf(store);
        final List<String> child = ChildJvm.of(ReadOnlyMediaChild.class, tmp)
            .args(store, ReadOnlyOpenTest.PROJECT, ReadOnlyOpenTest.KEY, "loss").command();
        final List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
            BIND_RO, store.toString()));
        cmd.addAll(child);
        final Path log = tmp.resolve("media-child.log");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(Duration.ofSeconds(120).toMillis(), TimeUnit.MILLISECONDS), "child did not finish");
        final String out = java.nio.file.Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("medium refuses writes") && out.contains("Read-only file system"), out);
        assertTrue(out.contains("read-write open refused"), out);
        assertTrue(out.contains("read " + ReadOnlyOpenTest.POINTS + " points"), out);
        assertTrue(out.contains("cli status exit 0"), out);
        assertTrue(out.contains("store directory is not writable; reading read-only"), out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "%,d points", ReadOnlyOpenTest.POINTS)), out);
        assertEquals(before, ReadOnlyOpenTest.snapshotOf(store));
    }
}
