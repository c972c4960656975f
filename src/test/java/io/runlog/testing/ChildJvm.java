package io.runlog.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts a test {@code main} class in a child JVM, the way an embedder would run Runlog: the JVM
 * flags Chronicle needs (system property {@code runlog.test.jvmFlags}, set by surefire from the
 * one list in the pom), this JVM's class path, a private {@code java.io.tmpdir}, and the child's
 * standard output and error in a log file that failures quote.
 *
 * <p>Waiting never sleeps: {@link Child#await} polls with {@link Thread#onSpinWait()} and
 * {@link Thread#yield()} up to a deadline, and fails at once if the child exits first.
 */
public final class ChildJvm {
    /** Flags that make a short-lived child start fast and leave nothing behind in /tmp. */
    private static final List<String> STARTUP_FLAGS = List.of(
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final Class<?> mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> unsetEnv = new ArrayList<>();
    private final Path scratch;
    private Path workingDir;
    private boolean runlogFlags = true;

    private ChildJvm(final Class<?> mainClass, final Path scratch) {
        this.mainClass = mainClass;
        this.scratch = scratch;
    }

    /**
     * A child running {@code mainClass}; {@code scratch} (under the test's {@code @TempDir})
     * receives the child's log and {@code java.io.tmpdir}.
     */
    public static ChildJvm of(final Class<?> mainClass, final Path scratch) {
        return new ChildJvm(mainClass, scratch);
    }

    public ChildJvm jvmArg(final String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public ChildJvm args(final Object... values) {
        for (final Object v : values) {
            args.add(String.valueOf(v));
        }
        return this;
    }

    public ChildJvm env(final String name, final String value) {
        env.put(name, value);
        return this;
    }

    public ChildJvm unsetEnv(final String name) {
        unsetEnv.add(name);
        return this;
    }

    /** Starts the child without the JVM flags Runlog needs (as an embedder who forgot them would). */
    public ChildJvm withoutRunlogFlags() {
        runlogFlags = false;
        return this;
    }

    public ChildJvm workingDir(final Path dir) {
        this.workingDir = dir;
        return this;
    }

    /** The java launcher of this JVM. */
    public static String javaExecutable() {
        final Optional<String> self = ProcessHandle.current().info().command();
        if (self.isPresent() && Files.isExecutable(Path.of(self.get()))) {
            return self.get();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The flags Chronicle Queue and Agrona need, as surefire passes them to this JVM. */
    public static List<String> requiredJvmFlags() {
        final String flags = System.getProperty("runlog.test.jvmFlags");
        if (flags == null || flags.isBlank()) {
            throw new IllegalStateException("system property runlog.test.jvmFlags is not set; run the tests through"
                + " Maven (surefire sets it from the pom)");
        }
        return Arrays.asList(flags.trim().split("\\s+"));
    }

    /** The full command line. */
    public List<String> command() {
        final List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        if (runlogFlags) {
            cmd.addAll(requiredJvmFlags());
        }
        cmd.addAll(STARTUP_FLAGS);
        cmd.add("-Djava.io.tmpdir=" + scratch.resolve("tmp").toAbsolutePath());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child; its standard output and error go to a fresh log file in the scratch dir. */
    public Child start() {
        try {
            Files.createDirectories(scratch.resolve("tmp"));
            final Path log = Files.createTempFile(scratch, mainClass.getSimpleName() + "-", ".log");
            final ProcessBuilder pb = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            pb.environment().putAll(env);
            unsetEnv.forEach(pb.environment()::remove);
            return new Child(pb.start(), log);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot start child JVM " + mainClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /** A running child JVM. Closing it kills it if it is still alive. */
    public static final class Child implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Child(final Process process, final Path log) {
            this.process = process;
            this.log = log;
        }

        public Process process() {
            return process;
        }

        public long pid() {
            return process.pid();
        }

        /** Everything the child printed so far. */
        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (final IOException e) {
                return "(cannot read child log " + log + ": " + e.getMessage() + ")";
            }
        }

        /**
         * Polls {@code condition} (onSpinWait, then yield) until it holds; fails if the child
         * exits first or the deadline passes.
         */
        public void await(final String what, final Duration timeout, final BooleanSupplier condition) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            int spins = 0;
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                    fail("child " + pid() + " exited with " + process.exitValue() + " before " + what
                        + "; its output:\n" + output());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("child " + pid() + " did not reach " + what + " within " + timeout + "; its output:\n"
                        + output());
                }
                if (++spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /** Waits for the child to exit on its own and returns its exit code. */
        public int awaitExit(final Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    fail("child " + pid() + " did not exit within " + timeout + "; its output:\n" + output());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return process.exitValue();
        }

        /**
         * Sends SIGKILL ({@link Process#destroyForcibly()} on Linux), waits until the child is
         * reaped, and asserts through {@link ProcessHandle} that it is gone and that it died of
         * signal 9 (exit status 128 + 9).
         */
        public void killNine() {
            assertFalse(!process.isAlive(), () -> "child " + pid() + " was already dead before the kill, exit "
                + process.exitValue() + "; its output:\n" + output());
            process.destroyForcibly();
            final int status = awaitExit(Duration.ofSeconds(30));
            assertFalse(ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false),
                () -> "child " + pid() + " still alive after SIGKILL");
            assertEquals(128 + 9, status, () -> "child " + pid() + " did not die of SIGKILL; its output:\n" + output());
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
