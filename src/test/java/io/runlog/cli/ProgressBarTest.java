package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.server.ApiKeys;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncServer;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code runlog sync} and {@code runlog upload} draw a progress bar on standard error when it is a
 * terminal, within its width, and nothing of it into a pipe or a log: through a real
 * pseudo-terminal ({@code script}) and through the same rendering with an injected terminal.
 */
class ProgressBarTest {
    @TempDir
    Path tmp;

    private SyncServer server;
    private Path keyFile;
    private Path store;

    @BeforeEach
    void serverAndStore() throws Exception {
        final Path keys = tmp.resolve("keys");
        keyFile = tmp.resolve("key");
        Files.writeString(keyFile, ApiKeys.add(keys, "p") + "\n");
        server = SyncServer.start(tmp.resolve("server"), CliRunner.options(), new InetSocketAddress("127.0.0.1", 0), keys,
            new ServerOptions(), null, null);
        store = tmp.resolve("harness");
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options());
             Experiment e = s.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("e")) {
            for (int i = 0; i < 50_000; i++) {
                e.log("loss", i, 1.0 / (1 + i));
            }
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int exit, String err) {
    }

    private static Run run(final Terminal terminal, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = RunlogCommand.commandLine(new RunlogCommand(CliRunner.options()).terminal(terminal));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void syncDrawsABarWithinTheTerminalsWidthOnATerminalAndNoneOtherwise() {
        final Run tty = run(new Terminal(true, 60), "sync", "--dir", store.toString(), "--server", server.url(),
            "--api-key-file", keyFile.toString());
        assertEquals(0, tty.exit(), tty.err());
        assertTrue(tty.err().contains("\rsync [########"), tty.err());
        assertTrue(tty.err().contains("] 50,000 points acknowledged"), tty.err());
        for (final String line : tty.err().split("[\r\n]")) {
            if (line.startsWith("sync [")) {
                assertTrue(line.length() < 60, () -> "wider than the terminal: '" + line + "'");
            }
        }

        final Run plain = run(Terminal.NONE, "sync", "--dir", store.toString(), "--server", server.url(),
            "--api-key-file", keyFile.toString());
        assertEquals(0, plain.exit(), plain.err());
        assertFalse(plain.err().contains("\r"), plain.err());
        assertFalse(plain.err().contains("sync ["), plain.err());
        assertTrue(plain.err().startsWith("synced to "), plain.err());
    }

    @Test
    void uploadDrawsABarOfBytesSentOnATerminalAndNoneOtherwise() {
        final Path archive = tmp.resolve("e.rla");
        try (RunlogStore s = RunlogStore.open(store, CliRunner.options())) {
            s.exportExperiment("p", "e", archive);
        }
        final Run plain = run(Terminal.NONE, "upload", "--server", server.url(), "--api-key-file", keyFile.toString(),
            archive.toString());
        assertEquals(0, plain.exit(), plain.err());
        assertFalse(plain.err().contains("\r"), plain.err());
        final Run tty = run(new Terminal(true, 50), "upload", "--server", server.url(), "--api-key-file",
            keyFile.toString(), archive.toString());
        assertEquals(0, tty.exit(), tty.err());
        assertTrue(tty.err().contains("\re.rla [#"), tty.err());
        assertTrue(tty.err().contains(" bytes"), tty.err());
        for (final String line : tty.err().split("\r")) {
            final String first = line.split("\n")[0];
            assertTrue(!first.startsWith("e.rla [") || first.length() < 50, () -> "wider than the terminal: '" + first + "'");
        }
    }

    @Test
    void syncDrawsItsBarOnARealPseudoTerminalAndNotIntoAPipe() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "no script(1) to make a pseudo-terminal");
        Files.createDirectories(tmp.resolve("tmp"));
        final List<String> command = ChildJvm.of(RunlogCommand.class, tmp).args("sync", "--dir", store, "--server",
            server.url(), "--api-key-file", keyFile).command();
        final String piped = exec(command);
        assertTrue(piped.contains("synced to "), piped);
        assertFalse(piped.contains("sync ["), piped);

        final StringBuilder shell = new StringBuilder();
        for (final String arg : command) {
            shell.append(shell.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        final String tty = exec(List.of("/usr/bin/script", "-q", "-e", "-c", shell.toString(), "/dev/null"));
        assumeTrue(!tty.contains("script: ") || tty.contains("synced to "), "script(1) could not make a terminal: " + tty);
        assertTrue(tty.contains("\rsync ["), tty);
        assertTrue(tty.contains("synced to "), tty);
    }

    private String exec(final List<String> command) throws Exception {
        final Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectInput(new File("/dev/null")).start();
        final byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new String(output, StandardCharsets.UTF_8);
    }
}
