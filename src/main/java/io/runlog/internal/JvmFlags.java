package io.runlog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags Runlog needs on Java 17, as the build wrote them from {@code pom.xml}
 * ({@code jvm-flags.properties}), and the command line that starts another JVM running Runlog's
 * command line with them (the demo's harness process). Internal.
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** {@code --add-opens=M/P=ALL-UNNAMED} and {@code --add-exports=...} for every package of the list. */
    public static List<String> moduleFlags() {
        final Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from the build");
            }
            p.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<String> flags = new ArrayList<>();
        for (final String pkg : p.getProperty("addOpens", "").trim().split("\\s+")) {
            if (!pkg.isEmpty()) {
                flags.add("--add-opens=" + pkg + "=ALL-UNNAMED");
            }
        }
        for (final String pkg : p.getProperty("addExports", "").trim().split("\\s+")) {
            if (!pkg.isEmpty()) {
                flags.add("--add-exports=" + pkg + "=ALL-UNNAMED");
            }
        }
        return flags;
    }

    /**
     * The command that runs {@code mainClass} in a new JVM with this JVM's java executable and
     * class path, the module flags, and the given system properties' current values.
     */
    public static List<String> javaCommand(final String mainClass, final List<String> extraJvmArgs) {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(moduleFlags());
        for (final String name : new String[]{"java.io.tmpdir", "jna.tmpdir", "chronicle.analytics.disable"}) {
            final String value = System.getProperty(name);
            if (value != null) {
                command.add("-D" + name + "=" + value);
            }
        }
        command.addAll(extraJvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    private static String javaExecutable() {
        final Path home = Path.of(System.getProperty("java.home"));
        final Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }
}
