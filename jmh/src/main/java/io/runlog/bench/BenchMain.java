package io.runlog.bench;

import io.runlog.internal.JvmFlags;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Main-Class of {@code runlog-benchmarks.jar}.
 *
 * <p>{@code java -jar} applies the jar manifest's {@code Add-Opens}/{@code Add-Exports} to this
 * JVM only; the JVMs JMH forks get neither. So this appends the same flags ({@link JvmFlags}, which
 * the build writes from the pom's {@code runlog.addOpens}/{@code runlog.addExports}, the one source
 * of truth), with the quiet-Chronicle system properties, to every fork's JVM arguments (after any
 * {@code -jvmArgsAppend} the user gave).
 *
 * <pre>
 * java -jar runlog-benchmarks.jar [JMH options]           run benchmarks (JMH's own command line)
 * java -jar runlog-benchmarks.jar OpenLoopLatency [...]    run a plain-main tool in this JVM
 * java -jar runlog-benchmarks.jar BytesPerPoint [...]
 * java -jar runlog-benchmarks.jar GateMemory [--keys N]
 * java -jar runlog-benchmarks.jar WindowMemory [--windows N]
 * java -jar runlog-benchmarks.jar ArchiveSizes [--points N]
 * java -jar runlog-benchmarks.jar SamplingQuality [--curves DIR]
 * java -jar runlog-benchmarks.jar EmbeddedStores [...]    Runlog against QuestDB, RocksDB, SQLite (issue 15)
 * java -jar runlog-benchmarks.jar ProfileBreakdown DIR     where the CPU goes, from EmbeddedStores --profile
 * java -jar runlog-benchmarks.jar NoisyColumnSizes [...]  bytes a noisy value takes per coding, and bit-packed
 * java -jar runlog-benchmarks.jar report [REGEX] [--quick] a Markdown report: machine, date, medians, ratios to baselines
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
                case "ArchiveSizes" -> {
                    ArchiveSizes.main(Arrays.copyOfRange(args, 1, args.length));
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
                case "WindowMemory" -> {
                    WindowMemory.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "SamplingQuality" -> {
                    SamplingQuality.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "report" -> {
                    BenchReport.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "EmbeddedStores" -> {
                    EmbeddedStores.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "NoisyColumnSizes" -> {
                    NoisyColumnSizes.main(Arrays.copyOfRange(args, 1, args.length));
                    return;
                }
                case "ProfileBreakdown" -> {
                    ProfileBreakdown.main(Arrays.copyOfRange(args, 1, args.length));
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

    /** {@code --add-opens}/{@code --add-exports} (the pom's one list, as the build wrote it), then the system properties. */
    static List<String> forkJvmFlags() {
        final List<String> flags = new ArrayList<>(JvmFlags.moduleFlags());
        flags.addAll(SYSTEM_PROPERTIES);
        return flags;
    }
}
