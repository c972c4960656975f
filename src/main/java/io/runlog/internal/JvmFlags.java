package io.runlog.internal;

import io.runlog.MissingJvmFlagsException;

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
 * command line with them (the demo's harness process), and the check that this JVM has them.
 * Internal.
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
     * The flags of {@link #moduleFlags()} this JVM was not started with: a package of a module of
     * the boot layer that is not opened (or exported) to Runlog's module. A module this runtime
     * does not have (a jlink image without {@code jdk.compiler}) needs no flag.
     */
    public static List<String> missing() {
        final Module self = JvmFlags.class.getModule();
        final List<String> missing = new ArrayList<>();
        for (final String flag : moduleFlags()) {
            final boolean opens = flag.startsWith("--add-opens=");
            final String spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
            final int slash = spec.indexOf('/');
            final java.util.Optional<Module> module = ModuleLayer.boot().findModule(spec.substring(0, slash));
            if (module.isEmpty()) {
                continue;
            }
            final String pkg = spec.substring(slash + 1);
            final boolean granted = opens ? module.get().isOpen(pkg, self) : module.get().isExported(pkg, self);
            if (!granted) {
                missing.add(flag);
            }
        }
        return missing;
    }

    /** Throws {@link MissingJvmFlagsException} naming every missing flag; checked once per JVM. */
    public static void require() {
        if (!MISSING.isEmpty()) {
            throw new MissingJvmFlagsException(MISSING);
        }
    }

    private static final List<String> MISSING = missing();

    /**
     * The command that runs {@code mainClass} in a new JVM with this JVM's java executable and
     * class path, the module flags, and the given system properties' current values.
     */
    public static List<String> javaCommand(final String mainClass, final List<String> extraJvmArgs) {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(moduleFlags());
        for (final String name : new String[]{"java.io.tmpdir", "jna.tmpdir", "chronicle.analytics.disable", "user.home"}) {
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
