package io.runlog.jvm;

import io.runlog.cli.RunlogCommand;
import io.runlog.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logging: the library forces no SLF4J binding on an embedder (the only binding, slf4j-simple, is
 * optional: it reaches the CLI's -all jar, not an application that depends on io.runlog:runlog),
 * and the command line is quiet by default: a real CLI process prints its one-line summary and no
 * log lines of Chronicle's.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoggingTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeclareNoLoggingBindingThatAnEmbedderInherits() throws IOException {
        final String pom = Files.readString(Path.of("pom.xml"));
        final Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        int bindings = 0;
        while (dependency.find()) {
            final String d = dependency.group(1);
            if (d.matches("(?s).*<artifactId>(slf4j-simple|logback-classic|slf4j-reload4j|log4j-slf4j2?-impl|slf4j-jdk14)"
                + "</artifactId>.*")) {
                bindings++;
                assertTrue(d.contains("<optional>true</optional>") || d.contains("<scope>test</scope>"),
                    () -> "a logging binding an embedder would inherit:\n" + d);
            }
        }
        assertEquals(1, bindings, "slf4j-simple, optional, for the CLI jar");
    }

    @Test
    void shouldKeepTheCommandLineQuietByDefault() throws IOException {
        final Path csv = Files.writeString(dir.resolve("run.csv"), "metric,step,value\nloss,0,1.5\nloss,1,1.25\n");
        final Path store = dir.resolve("store");
        try (ChildJvm.Child child = ChildJvm.of(RunlogCommand.class, dir.resolve("ingest"))
            .args("ingest", "--dir", store, "--disk-reserve", "0", csv).start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child::output);
            assertEquals("ingested 2 rows of 1 metrics from " + csv + " into experiment default/run\n", child.output());
        }
        try (ChildJvm.Child child = ChildJvm.of(RunlogCommand.class, dir.resolve("status"))
            .args("status", "--dir", store, "--disk-reserve", "0", "--experiment", "run").start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child::output);
            assertFalse(child.output().contains("INFO") || child.output().contains("WARN") || child.output().contains("[main]"),
                child::output);
            assertTrue(child.output().startsWith("experiment:"), child::output);
        }
    }
}
