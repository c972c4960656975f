package io.runlog.cli;

import io.runlog.internal.IoErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Errors name their cause (permission denied, read-only file system, ...), not the path twice. */
class ErrorCausesTest {
    @TempDir
    Path tmp;

    @Test
    void shouldDescribeTheCauseOfAnIoFailureInWords() {
        assertEquals("permission denied", IoErrors.describe(new AccessDeniedException("/a/b")));
        assertEquals("read-only file system", IoErrors.describe(new FileSystemException("/a", null, "Read-only file system")));
        assertEquals("no such file or directory (on /a)", IoErrors.describe(new NoSuchFileException("/a"), "/a/b"));
        assertEquals("permission denied", IoErrors.describe(new AccessDeniedException("/a/b"), "/a/b"));
        assertEquals("no space left on device", IoErrors.describe(new java.io.IOException("No space left on device")));
    }

    @Test
    void shouldNameTheCauseWhenTheStoreDirectoryCannotBeCreated() throws Exception {
        final Path csv = Files.writeString(tmp.resolve("x.csv"), "metric,step,value\na,1,2\n");
        final Path file = Files.writeString(tmp.resolve("a-file"), "");
        final CliRunner.Result underFile = CliRunner.run("ingest", "--dir", file.resolve("store").toString(), csv.toString());
        assertEquals(1, underFile.exit(), underFile::toString);
        assertFalse(underFile.err().contains(file.resolve("store") + ": " + file.resolve("store")), underFile::toString);
        final Path sys = Path.of("/sys/runlog-no-such-dir/store");
        assumeTrue(Files.isDirectory(Path.of("/sys")), "needs /sys, where nobody may create directories");
        final CliRunner.Result r = CliRunner.run("ingest", "--dir", sys.toString(), csv.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("runlog: error: cannot create store directory " + sys + ": "), r::toString);
        assertFalse(r.err().contains(sys + ": " + sys), () -> "the path instead of the cause: " + r);
        assertTrue(r.err().contains("operation not permitted") || r.err().contains("permission denied")
            || r.err().contains("read-only file system"), r::toString);
    }
}
