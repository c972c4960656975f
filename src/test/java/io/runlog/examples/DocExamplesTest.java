package io.runlog.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The docs cannot rot: every {@code ```java} block in {@code README.md} and {@code docs/} must be
 * preceded by a marker {@code <!-- example: Class#tag -->} and equal, line for line, the region
 * between {@code // tag::tag[]} and {@code // end::tag[]} of
 * {@code src/test/java/io/runlog/examples/Class.java}, which {@link ExamplesTest} compiles and runs.
 */
class DocExamplesTest {
    private static final Path EXAMPLES = Path.of("src/test/java/io/runlog/examples");
    private static final Pattern MARKER = Pattern.compile("<!-- example: (\\w+)#([\\w-]+) -->");

    @Test
    void everyJavaBlockInTheDocsIsAnExampleThatCompilesAndRuns() throws IOException {
        final List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        try (Stream<Path> files = Files.walk(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        final List<String> problems = new ArrayList<>();
        int checked = 0;
        for (final Path doc : docs) {
            final List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```java")) {
                    continue;
                }
                final int end = closingFence(lines, i + 1);
                final String where = doc + ":" + (i + 1);
                int m = i - 1;
                while (m >= 0 && lines.get(m).isBlank()) {
                    m--;
                }
                final Matcher marker = m >= 0 ? MARKER.matcher(lines.get(m).strip()) : null;
                if (marker == null || !marker.matches()) {
                    problems.add(where + ": java block without a '<!-- example: Class#tag -->' marker above it");
                    i = end;
                    continue;
                }
                final List<String> block = dedent(lines.subList(i + 1, end));
                final List<String> region = region(marker.group(1), marker.group(2), where, problems);
                if (region != null && !region.equals(block)) {
                    problems.add(where + ": block differs from " + marker.group(1) + "#" + marker.group(2)
                        + "\n--- doc\n" + String.join("\n", block) + "\n--- example\n" + String.join("\n", region));
                }
                checked++;
                i = end;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n\n", problems));
        assertTrue(checked >= 3, "found only " + checked + " java blocks: is the working directory the project root?");
    }

    private static int closingFence(final List<String> lines, final int from) {
        for (int j = from; j < lines.size(); j++) {
            if (lines.get(j).strip().equals("```")) {
                return j;
            }
        }
        throw new AssertionError("unclosed code block");
    }

    private static List<String> region(final String className, final String tag, final String where,
                                       final List<String> problems) throws IOException {
        final Path source = EXAMPLES.resolve(className + ".java");
        if (!Files.exists(source)) {
            problems.add(where + ": no example class " + source);
            return null;
        }
        final List<String> lines = Files.readAllLines(source);
        final int start = lines.indexOf(indentOf(lines, "// tag::" + tag + "[]"));
        final int stop = lines.indexOf(indentOf(lines, "// end::" + tag + "[]"));
        if (start < 0 || stop < start) {
            problems.add(where + ": " + source + " has no region '" + tag + "'");
            return null;
        }
        return dedent(lines.subList(start + 1, stop));
    }

    private static String indentOf(final List<String> lines, final String stripped) {
        for (final String l : lines) {
            if (l.strip().equals(stripped)) {
                return l;
            }
        }
        return "\u0000";
    }

    private static List<String> dedent(final List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (final String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        final List<String> out = new ArrayList<>();
        for (final String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
        }
        return out;
    }
}
