package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.cli.RunlogCommand;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runlog sync} and {@code runlog upload} against the real server on loopback, and their bad inputs. */
class SyncCommandsTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    static Result run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand(new StoreOptions().diskReserveBytes(0)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    private Path harness() {
        final Path dir = tmp.resolve("harness");
        try (RunlogStore s = RunlogStore.open(dir);
             Experiment e = s.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateOfflineExperiment("e")) {
            for (int i = 0; i < 30_000; i++) {
                e.log("loss", i, 1.0 / (i + 1));
            }
            e.logParameter("lr", 0.01);
            e.logOutput(OutputChannel.STDOUT, "hello");
        }
        return dir;
    }

    @Test
    void syncShipsAStoreUntilTheServerHoldsEverythingAndASecondRunAddsNothing() throws Exception {
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p") + "\n");
        final Path dir = harness();
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final Result r = run("sync", "--dir", dir.toString(), "--server", server.uri().toString(), "--api-key-file",
                keyFile.toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.err().contains("30,000 points acknowledged"), r.err());
            assertFalse(r.err().contains(Files.readString(keyFile).strip()), "never prints the key");
            final Result again = run("sync", "--dir", dir.toString(), "--server", server.uri().toString(),
                "--api-key-file", keyFile.toString());
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.err().contains(" 0 points acknowledged"), again.err());
            try (RunlogStore h = RunlogStore.open(dir)) {
                SyncFixtures.assertSameData(h, server.store(), "p", "e");
            }
            assertTrue(Files.isDirectory(dir.resolve(MarkStore.DEFAULT_DIR)), "marks kept in the store's sync-client/");
        }
    }

    @Test
    void uploadSendsArchivesIdempotently() throws Exception {
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p"));
        final Path dir = harness();
        final Path archive = tmp.resolve("e.rla");
        try (RunlogStore h = RunlogStore.open(dir)) {
            h.exportExperiment("p", "e", archive);
        }
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final Result r = run("upload", "--server", server.uri().toString(), "--api-key-file", keyFile.toString(),
                archive.toString(), archive.toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.err().contains("added 30000 points"), r.err());
            assertTrue(r.err().contains("added 0 points"), "the second upload adds nothing: " + r.err());
            try (RunlogStore h = RunlogStore.open(dir)) {
                SyncFixtures.assertSameData(h, server.store(), "p", "e");
            }
        }
    }

    @Test
    void uploadIntoTheKeysProjectUnderAnotherNameWithProjectAndExperiment() throws Exception {
        final Path keys = tmp.resolve("keys");
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "q"));
        final Path dir = harness();
        final Path archive = tmp.resolve("e.rla");
        try (RunlogStore h = RunlogStore.open(dir)) {
            h.exportExperiment("p", "e", archive);
        }
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"), keys, SystemEpochClock.INSTANCE, null,
            new ServerOptions()).start()) {
            final Result refused = run("upload", "--server", server.uri().toString(), "--api-key-file", keyFile.toString(),
                archive.toString());
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("--project"), "says how to upload into the key's project: " + refused.err());
            final Result r = run("upload", "--server", server.uri().toString(), "--api-key-file", keyFile.toString(),
                "--project", "q", "--experiment", "e2", archive.toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.err().contains("to q/e2: added 30000 points"), r.err());
            try (RunlogStore h = RunlogStore.open(dir)) {
                assertEquals(h.project("p").openExperiment("e").readMetric("loss").size(),
                    server.store().project("q").openExperiment("e2").readMetric("loss").size());
            }
            final Result two = run("upload", "--server", server.uri().toString(), "--api-key-file", keyFile.toString(),
                "--experiment", "e3", archive.toString(), archive.toString());
            assertEquals(1, two.exit(), two.toString());
            final Result bad = run("upload", "--server", server.uri().toString(), "--api-key-file", keyFile.toString(),
                "--project", "../q", archive.toString());
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().contains("project name '../q'"), bad.err());
        }
    }

    @Test
    void badInputsAreOneLineErrorsWithExitOne() throws Exception {
        final Path dir = harness();
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, "\n  \n");
        final Path garbage = tmp.resolve("garbage.rla");
        Files.writeString(garbage, "not an archive");
        final Result noKeyFile = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            tmp.resolve("missing").toString());
        assertEquals(1, noKeyFile.exit(), noKeyFile.toString());
        assertTrue(noKeyFile.err().contains("cannot read the API key file"), noKeyFile.err());
        final Result emptyKey = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString());
        assertEquals(1, emptyKey.exit(), emptyKey.toString());
        assertTrue(emptyKey.err().contains("holds no key"), emptyKey.err());
        Files.writeString(keyFile, "rlk_abc");
        final Result badUrl = run("sync", "--dir", dir.toString(), "--server", "ftp://host/", "--api-key-file",
            keyFile.toString());
        assertEquals(1, badUrl.exit(), badUrl.toString());
        assertTrue(badUrl.err().contains("http:// or https://"), badUrl.err());
        final Result noStore = run("sync", "--dir", tmp.resolve("nothing").toString(), "--server", "http://127.0.0.1:1",
            "--api-key-file", keyFile.toString());
        assertEquals(1, noStore.exit(), noStore.toString());
        assertFalse(Files.exists(tmp.resolve("nothing")), "sync never creates a store");
        final Result damaged = run("upload", "--server", "http://127.0.0.1:1", "--api-key-file", keyFile.toString(),
            garbage.toString());
        assertEquals(1, damaged.exit(), damaged.toString());
        assertTrue(damaged.err().contains("garbage.rla"), damaged.err());
        final Result usage = run("sync", "--dir", dir.toString());
        assertEquals(2, usage.exit(), usage.toString());
    }

    /** A writer that opens {@code latch} once what it received holds {@code text}. */
    static final class Watch extends StringWriter {
        private final String text;
        final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);

        Watch(final String text) {
            this.text = text;
        }

        @Override
        public void write(final String str, final int off, final int len) {
            super.write(str, off, len);
            if (toString().contains(text)) {
                latch.countDown();
            }
        }

        @Override
        public void write(final char[] cbuf, final int off, final int len) {
            write(new String(cbuf, off, len), 0, len);
        }
    }

    /** Runs the command on a thread until {@code err} shows {@code text}, then interrupts it; its exit status. */
    private static int runUntil(final Watch err, final String... args) throws Exception {
        final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand(new StoreOptions().diskReserveBytes(0)));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        final int[] exit = {-1};
        final Thread t = new Thread(() -> exit[0] = cli.execute(args), "cli-under-test");
        t.start();
        final boolean seen = err.latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
        t.interrupt();
        t.join(60_000);
        assertTrue(seen, "never printed '" + err.text + "': " + err);
        assertFalse(t.isAlive(), "an interrupt ends the command");
        return exit[0];
    }

    @Test
    void uploadToAServerThatRefusesConnectionsSaysSoWhileItRetries() throws Exception {
        final Path dir = harness();
        final Path archive = tmp.resolve("e.rla");
        try (RunlogStore h = RunlogStore.open(dir)) {
            h.exportExperiment("p", "e", archive);
        }
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, "rlk_abc");
        final Watch err = new Watch("retrying");
        final int exit = runUntil(err, "upload", "--server", "http://127.0.0.1:1", "--api-key-file", keyFile.toString(),
            archive.toString());
        assertTrue(err.toString().contains("connection refused"), err.toString());
        assertFalse(err.toString().contains("retrying: null"), err.toString());
        assertEquals(1, exit, err.toString());
    }

    @Test
    void syncToAServerThatRefusesConnectionsSaysSoWhileItRetries() throws Exception {
        final Path dir = harness();
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, "rlk_abc");
        final Watch err = new Watch("retrying");
        runUntil(err, "sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString());
        assertTrue(err.toString().contains("network error talking to http://127.0.0.1:1"), err.toString());
    }

    @Test
    void aMissingApiKeyFileIsNamedAsMissingNotByItsPathAlone() throws Exception {
        final Path dir = harness();
        final Result r = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            tmp.resolve("missing").toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot read the API key file " + tmp.resolve("missing") + ": no such file"), r.err());
    }

    @Test
    void syncOfAnExperimentOrProjectTheStoreDoesNotHoldIsAnErrorNotASilentSuccess() throws Exception {
        final Path dir = harness();
        final Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, "rlk_abc");
        final Result typo = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString(), "--experiment", "nope");
        assertEquals(1, typo.exit(), typo.toString());
        assertTrue(typo.err().contains("no experiment 'nope'"), typo.err());
        final Result noProject = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString(), "--project", "q");
        assertEquals(1, noProject.exit(), noProject.toString());
        assertTrue(noProject.err().contains("no project 'q'"), noProject.err());
        final Result traversal = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString(), "--project", "../p");
        assertEquals(1, traversal.exit(), traversal.toString());
        assertTrue(traversal.err().contains("project name '../p'"), traversal.err());
        final Result badKey = run("sync", "--dir", dir.toString(), "--server", "http://127.0.0.1:1", "--api-key-file",
            keyFile.toString(), "--experiment", "a/b");
        assertEquals(1, badKey.exit(), badKey.toString());
        assertTrue(badKey.err().contains("experiment key 'a/b'"), badKey.err());
    }
}
