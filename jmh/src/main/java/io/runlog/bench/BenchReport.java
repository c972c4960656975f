package io.runlog.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar runlog-benchmarks.jar report [REGEX] [--quick] [--gc] [-o FILE]} (also
 * {@code ./runlog bench report ...}): runs the JMH suite, or the benchmarks matching REGEX, and
 * writes a Markdown report: the machine, the date, and for every benchmark its median over the
 * measurement iterations, its range, and its ratio to the baseline named by {@link ComparedTo},
 * measured in the same run. {@code --quick}: one fork, 2 warm-up and 3 measurement iterations of
 * 1 s each (a smoke run); otherwise each benchmark's own annotations apply. {@code --gc}: JMH's GC
 * profiler, so the report gives bytes allocated per operation.
 */
public final class BenchReport {
    private BenchReport() {
    }

    public static void main(final String[] args) throws RunnerException, IOException {
        String include = ".*Benchmark.*";
        boolean quick = false;
        boolean gc = false;
        Path output = Path.of("target", "benchmarks", "report-"
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now()) + ".md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--gc" -> gc = true;
                case "-o" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("-o needs a file");
                    }
                    output = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.println("usage: report [REGEX] [--quick] [--gc] [-o FILE]");
                    return;
                }
                default -> include = args[i];
            }
        }
        final ChainedOptionsBuilder options = new OptionsBuilder().include(include)
            .jvmArgsAppend(BenchMain.forkJvmFlags().toArray(new String[0]));
        if (gc) {
            options.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
        }
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                .measurementTime(TimeValue.seconds(1));
        }
        final Collection<RunResult> results = new Runner(options.build()).run();
        final String report = render(results, include, quick);
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.writeString(output, report);
        System.out.println(report);
        System.out.println("report written to " + output.toAbsolutePath());
    }

    static String render(final Collection<RunResult> results, final String include, final boolean quick) {
        final StringBuilder b = new StringBuilder();
        b.append("# Runlog benchmark report\n\n");
        b.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        b.append("- machine: ").append(machine()).append('\n');
        b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
            .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        b.append("- benchmarks: `").append(include).append('`').append(quick ? " (--quick: a smoke run, not for quoting)" : "")
            .append("\n\n");
        b.append("Median over measurement iterations; range = min to max iteration; ratio = score / baseline score,"
            + " both from this run.\n");
        final Map<String, Map<String, RunResult>> byClass = new TreeMap<>();
        for (final RunResult r : results) {
            final String name = r.getParams().getBenchmark();
            final int dot = name.lastIndexOf('.');
            byClass.computeIfAbsent(name.substring(0, dot), k -> new LinkedHashMap<>())
                .put(name.substring(dot + 1) + params(r), r);
        }
        for (final var entry : byClass.entrySet()) {
            final String className = entry.getKey();
            b.append("\n## ").append(className.substring(className.lastIndexOf('.') + 1)).append("\n\n");
            b.append("| benchmark | mode | threads | median | range | unit | baseline | ratio |\n");
            b.append("|---|---|---:|---:|---|---|---|---:|\n");
            for (final var row : entry.getValue().entrySet()) {
                final RunResult r = row.getValue();
                final Result<?> primary = r.getPrimaryResult();
                final double median = median(r);
                final String method = row.getKey().replaceAll("\\{.*", "");
                final String baseline = baselineOf(className, method);
                String ratio = "";
                String baselineShown = baseline;
                if (baseline != null) {
                    // the baseline with the same parameters, else without any, else its first parameter set
                    RunResult base = entry.getValue().get(baseline + params(r));
                    if (base == null) {
                        base = entry.getValue().get(baseline);
                    }
                    if (base == null) {
                        for (final var candidate : entry.getValue().entrySet()) {
                            if (candidate.getKey().startsWith(baseline + "{")) {
                                base = candidate.getValue();
                                baselineShown = candidate.getKey();
                                break;
                            }
                        }
                    }
                    ratio = base == null ? "(baseline not run)" : String.format(Locale.ROOT, "%.2f", median / median(base));
                }
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s to %s | %s | %s | %s |%n", row.getKey(),
                    r.getParams().getMode().shortLabel(), r.getParams().getThreads(), number(median),
                    number(primary.getStatistics().getMin()), number(primary.getStatistics().getMax()),
                    primary.getScoreUnit(), baselineShown == null ? "" : baselineShown, ratio));
            }
            appendSecondary(b, entry.getValue());
        }
        return b.toString();
    }

    /** Allocation per operation ({@code -prof gc}) when it was measured. */
    private static void appendSecondary(final StringBuilder b, final Map<String, RunResult> rows) {
        final List<String> lines = new ArrayList<>();
        for (final var row : rows.entrySet()) {
            final Result<?> alloc = row.getValue().getSecondaryResults().get("·gc.alloc.rate.norm");
            if (alloc != null) {
                lines.add(String.format(Locale.ROOT, "%s %.1f B/op", row.getKey(), alloc.getScore()));
            }
        }
        if (!lines.isEmpty()) {
            b.append("\nAllocation: ").append(String.join("; ", lines)).append('\n');
        }
    }

    private static double median(final RunResult r) {
        final List<Double> scores = new ArrayList<>();
        for (final BenchmarkResult br : r.getBenchmarkResults()) {
            br.getIterationResults().forEach(it -> scores.add(it.getPrimaryResult().getScore()));
        }
        if (scores.isEmpty()) {
            return r.getPrimaryResult().getScore();
        }
        scores.sort(Double::compare);
        final int n = scores.size();
        return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
    }

    private static String params(final RunResult r) {
        final Collection<String> keys = r.getParams().getParamsKeys();
        if (keys.isEmpty()) {
            return "";
        }
        final StringBuilder b = new StringBuilder("{");
        for (final String k : keys) {
            b.append(b.length() > 1 ? "," : "").append(k).append('=').append(r.getParams().getParam(k));
        }
        return b.append('}').toString();
    }

    private static String baselineOf(final String className, final String method) {
        try {
            for (final Method m : Class.forName(className).getMethods()) {
                if (m.getName().equals(method) && m.isAnnotationPresent(ComparedTo.class)) {
                    return m.getAnnotation(ComparedTo.class).value();
                }
            }
        } catch (final ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    private static String number(final double v) {
        if (v != 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 0.01)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
    }

    /** CPU model, cores and memory, from /proc where there is one. */
    static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            final Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                for (final String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name")) {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            }
        } catch (final IOException e) {
            // keep the architecture
        }
        final long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        return String.format(Locale.ROOT, "%s, %d logical cores, %.1f GiB", cpu, Runtime.getRuntime().availableProcessors(),
            memory / (double) (1L << 30));
    }
}
