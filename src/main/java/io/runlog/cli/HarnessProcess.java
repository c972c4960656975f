package io.runlog.cli;

import io.runlog.internal.JvmFlags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@link DemoHarnessCommand} in a child JVM and kills it with SIGKILL once it has
 * acknowledged a given step: the demo's crash.
 */
final class HarnessProcess {
    /** What the harness had acknowledged when it died. */
    record Killed(long lastAckedStep, long logNanos, long timedCalls, long p50, long p99, long p999, int exitCode) {
    }

    private HarnessProcess() {
    }

    /**
     * What the demo does while the harness runs: told of every acknowledged step and of every
     * sync report ({@code sync} lines, with {@code --server}); may send the harness a line
     * (releases a {@code --hold-at}).
     */
    interface Driver {
        void acked(long step);

        default void synced(long acknowledgedPoints, Consumer<String> toHarness) {
        }
    }

    /**
     * @param onAck told of every acknowledged step (progress)
     */
    static Killed runAndKill(final Path storeDir, final String project, final String experiment, final long steps,
                             final long killAfterStep, final Path log, final Consumer<Long> onAck) {
        return runAndKill(storeDir, project, experiment, steps, killAfterStep, log, List.of(), onAck::accept);
    }

    /**
     * @param extraArgs more {@code demo-harness} options ({@code --server}, {@code --pace-millis}, ...)
     */
    static Killed runAndKill(final Path storeDir, final String project, final String experiment, final long steps,
                             final long killAfterStep, final Path log, final List<String> extraArgs,
                             final Driver driver) {
        final List<String> command = new ArrayList<>(JvmFlags.javaCommand(RunlogCommand.class.getName(),
            List.of("-Xmx512m", "-XX:+UseSerialGC")));
        command.addAll(List.of("demo-harness", "--dir", storeDir.toString(), "--project", project,
            "--experiment", experiment, "--steps", Long.toString(steps)));
        command.addAll(extraArgs);
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (final IOException e) {
            throw new CliException("cannot start the harness process: " + e.getMessage());
        }
        final Writer toHarness = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Consumer<String> send = line -> {
            try {
                toHarness.write(line + "\n");
                toHarness.flush();
            } catch (final IOException e) {
                throw new CliException("cannot write to the harness process: " + e.getMessage());
            }
        };
        String[] last = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                final String[] f = line.trim().split(" ");
                if (f.length == 4 && f[0].equals("sync")) {
                    driver.synced(Long.parseLong(f[1]), send);
                    continue;
                }
                if (f.length != 7 || !f[0].equals("ack")) {
                    continue;
                }
                last = f;
                final long acked = Long.parseLong(f[1]);
                driver.acked(acked);
                if (acked >= killAfterStep) {
                    process.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
                    break;
                }
            }
        } catch (final IOException e) {
            process.destroyForcibly();
            throw new CliException("cannot read the harness process: " + e.getMessage());
        } catch (final RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        final int exit;
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliException("the harness process did not end after SIGKILL");
            }
            exit = process.exitValue();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the harness process");
        }
        if (last == null) {
            throw new CliException("the harness process acknowledged nothing (exit " + exit + "); see " + log);
        }
        return new Killed(Long.parseLong(last[1]), Long.parseLong(last[2]), Long.parseLong(last[3]),
            Long.parseLong(last[4]), Long.parseLong(last[5]), Long.parseLong(last[6]), exit);
    }
}
