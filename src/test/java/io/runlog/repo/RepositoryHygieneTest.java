package io.runlog.repo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test artefacts stay out of the repository (surefire runs with the project directory as working directory). */
class RepositoryHygieneTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @Test
    void shouldHoldNoJqwikDatabaseAtTheRepositoryRootAndIgnoreOne() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve("pom.xml")), "tests run from the project directory: " + ROOT);
        assertFalse(Files.exists(ROOT.resolve(".jqwik-database")), ".jqwik-database is a test artefact, not a source");
        final List<String> ignored = Files.readAllLines(ROOT.resolve(".gitignore"));
        assertTrue(ignored.contains(".jqwik-database"), ".gitignore must ignore .jqwik-database: " + ignored);
    }
}
