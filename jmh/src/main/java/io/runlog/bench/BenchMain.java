package io.runlog.bench;

import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Main-Class of {@code runlog-benchmarks.jar}.
 *
 * <p>{@code java -jar} applies the jar manifest's {@code Add-Opens}/{@code Add-Exports} to this
 * JVM only; the JVMs JMH forks get neither. So this reads those two entries from its own jar's
 * manifest (the pom's {@code runlog.addOpens}/{@code runlog.addExports} stay the one source of
 * truth), turns them into command-line flags and appends them, with the quiet-Chronicle system
 * properties, to every fork's JVM arguments (after any {@code -jvmArgsAppend} the user gave).
 *
 * <pre>
 * java -jar runlog-benchmarks.jar [JMH options]           run benchmarks (JMH's own command line)
 * java -jar runlog-benchmarks.jar OpenLoopLatency [...]    run a plain-main tool in this JVM
 * java -jar runlog-benchmarks.jar BytesPerPoint [...]
 * java -jar runlog-benchmarks.jar GateMemory [--keys N]
 * java -jar runlog-benchmarks.jar SamplingQuality [--curves DIR]
 * java -jar runlog-benchmarks.jar --print-jvm-flags       the flags, for java -cp ... runs
 * </pre>
 */
public final class BenchMain {
    static final List<String> SYSTEM_PROPERTIES = List.of(
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "--print-jvm-flags" -> {
                    System.out.println(String.join(" ", forkJvmFlags()));
                    return;
                }
                case "OpenLoopLatency" -> {
                    OpenLoopLatency.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "GateMemory" -> {
                    GateMemory.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "SamplingQuality" -> {
                    SamplingQuality.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "BytesPerPoint" -> {
                    BytesPerPoint.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                default -> {
                    // JMH command line
                }
            }
        }
        final CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (final CommandLineOptionException e) {
            System.err.println("Error parsing command line:");
            System.err.println(" " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
            || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        final List<String> append = new ArrayList<>();
        if (cmd.getJvmArgsAppend().hasValue()) {
            append.addAll(cmd.getJvmArgsAppend().get());
        }
        append.addAll(forkJvmFlags());
        final Options options = new OptionsBuilder().parent(cmd).jvmArgsAppend(append.toArray(new String[0])).build();
        try {
            new Runner(options).run();
        } catch (final NoBenchmarksException e) {
            System.err.println("No matching benchmarks. Miss-spelled regexp? Use -l to list them.");
            System.exit(1);
        } catch (final ProfilersFailedException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (final RunnerException e) {
            System.err.print("ERROR: ");
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** {@code --add-opens}/{@code --add-exports} from this jar's manifest, then the system properties. */
    static List<String> forkJvmFlags() throws IOException {
        final Manifest manifest = ownManifest();
        final Attributes main = manifest.getMainAttributes();
        final String opens = main.getValue("Add-Opens");
        final String exports = main.getValue("Add-Exports");
        if (opens == null || exports == null) {
            throw new IllegalStateException("the benchmarks jar's manifest has no Add-Opens/Add-Exports entries; "
                + "build it with: mvn -B -Pjmh -DskipTests package");
        }
        final List<String> flags = new ArrayList<>();
        for (final String p : opens.trim().split("\\s+")) {
            flags.add("--add-opens=" + p + "=ALL-UNNAMED");
        }
        for (final String p : exports.trim().split("\\s+")) {
            flags.add("--add-exports=" + p + "=ALL-UNNAMED");
        }
        flags.addAll(SYSTEM_PROPERTIES);
        return flags;
    }

    /** The manifest of the jar this class was loaded from (not whichever MANIFEST.MF comes first on the class path). */
    private static Manifest ownManifest() throws IOException {
        final URL location = BenchMain.class.getProtectionDomain().getCodeSource().getLocation();
        final Path path;
        try {
            path = Path.of(location.toURI());
        } catch (final URISyntaxException e) {
            throw new IOException("cannot locate the benchmarks jar from " + location, e);
        }
        if (Files.isRegularFile(path)) {
            try (JarFile jar = new JarFile(path.toFile())) {
                final Manifest m = jar.getManifest();
                if (m != null) {
                    return m;
                }
            }
        } else {
            final Path mf = path.resolve("META-INF/MANIFEST.MF");
            if (Files.isRegularFile(mf)) {
                try (InputStream in = Files.newInputStream(mf)) {
                    return new Manifest(in);
                }
            }
        }
        throw new IllegalStateException("no manifest in " + path + "; run from target/jmh/runlog-benchmarks.jar");
    }
}
