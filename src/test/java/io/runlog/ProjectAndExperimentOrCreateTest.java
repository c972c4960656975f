package io.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "or create" calls never hand out something other than what was asked for. */
class ProjectAndExperimentOrCreateTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseToHandOutAProjectOfTheOtherKind() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            final ProjectKindMismatchException e = assertThrows(ProjectKindMismatchException.class,
                () -> store.projectOrCreate("p", ProjectKind.LLM));
            assertEquals(ProjectKind.EXPERIMENT_MANAGEMENT, e.existingKind());
            assertTrue(e.getMessage().startsWith("project 'p' exists already as an EXPERIMENT_MANAGEMENT project, not an"
                + " LLM project"), e.getMessage());
            assertTrue(e instanceof AlreadyExistsException);
            assertEquals(ProjectKind.EXPERIMENT_MANAGEMENT, store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT)
                .kind());
        }
    }

    @Test
    void shouldOpenOrCreateAnOfflineExperimentOnEveryRun() {
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            final Project p = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment first = p.openOrCreateOfflineExperiment("run")) {
                assertTrue(first.isOffline());
                first.log("loss", 0, 1.0);
            }
            try (Experiment second = p.openOrCreateOfflineExperiment("run")) {
                assertTrue(second.isOffline());
                assertEquals(1, second.pointCount());
            }
            p.createExperiment("online").close();
            final InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> p.openOrCreateOfflineExperiment("online"));
            assertTrue(e.getMessage().contains("exists and is not offline"), e.getMessage());
        }
    }
}
