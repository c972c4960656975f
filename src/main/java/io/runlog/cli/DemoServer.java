package io.runlog.cli;

import io.runlog.internal.JvmFlags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code runlog serve} in a child JVM for {@code runlog demo}: started on a loopback port (a free
 * one the first time, the same one on a restart), killed with SIGKILL or stopped with SIGTERM.
 * Its standard error (the "listening on" line, warnings) is appended to a log file in the demo's
 * directory. Not thread-safe: the demo's main thread owns it.
 */
final class DemoServer implements AutoCloseable {
    /** How long a server child may take to listen (a JVM start on a loaded machine). */
    private static final long START_SECONDS = 60;
    private static final String LISTENING = "runlog serve: listening on ";

    private final List<String> serveArgs;
    private final Path log;
    private Process process;
    private URI url;

    /**
     * @param serveArgs the options of {@code runlog serve} but {@code --port} and {@code --bind}
     */
    private DemoServer(final List<String> serveArgs, final Path log) {
        this.serveArgs = List.copyOf(serveArgs);
        this.log = log;
    }

    /** Starts a server on a free loopback port and waits until it listens. */
    static DemoServer start(final List<String> serveArgs, final Path log) {
        final DemoServer s = new DemoServer(serveArgs, log);
        s.launch(0);
        return s;
    }

    URI url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the server dies in whatever it was doing (an import, perhaps); returns once it is gone. */
    void kill() {
        process.destroyForcibly();
        await("SIGKILL");
    }

    /** Starts it again on the same port and waits until it listens; returns the milliseconds that took. */
    long restart() {
        final long t = System.nanoTime();
        launch(url.getPort());
        return (System.nanoTime() - t) / 1_000_000;
    }

    /** SIGTERM: the server closes its store cleanly (its shutdown hook). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void await(final String what) {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new CliException("the server process did not end after " + what);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the server process");
        }
    }

    private void launch(final int port) {
        final List<String> command = new ArrayList<>(JvmFlags.javaCommand(RunlogCommand.class.getName(),
            List.of("-Xmx512m", "-XX:+UseSerialGC")));
        command.add("serve");
        command.addAll(serveArgs);
        command.addAll(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port)));
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (final IOException e) {
            throw new CliException("cannot start the server process: " + e.getMessage());
        }
        final CompletableFuture<URI> listening = new CompletableFuture<>();
        final Process p = process;
        final Thread copier = new Thread(() -> copyLog(p, listening), "demo-serve-log");
        copier.setDaemon(true);
        copier.start();
        try {
            url = listening.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new CliException("the server process did not start listening (" + e.getMessage() + "); see " + log);
        } catch (final InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while starting the server process");
        }
    }

    /** Appends the child's standard error to the log, and completes {@code listening} with its URL. */
    private void copyLog(final Process p, final CompletableFuture<URI> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                 StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                final int at = line.indexOf(LISTENING);
                if (at >= 0 && !listening.isDone()) {
                    final String rest = line.substring(at + LISTENING.length());
                    final int space = rest.indexOf(' ');
                    listening.complete(URI.create(space < 0 ? rest : rest.substring(0, space)));
                }
            }
            listening.completeExceptionally(new IOException("the server exited with status " + p.waitFor()));
        } catch (final IOException | InterruptedException | RuntimeException e) {
            listening.completeExceptionally(e);
        }
    }
}
