package io.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exceptions form a hierarchy an embedder can catch by concern. */
class ExceptionHierarchyTest {
    @TempDir
    Path tmp;

    @Test
    void shouldPlaceStoreLockedStorageFullAndReadOnlyUnderStoreAccessAndInvalidNameUnderInvalidValue() {
        assertTrue(StoreAccessException.class.isAssignableFrom(StoreLockedException.class));
        assertTrue(StoreAccessException.class.isAssignableFrom(StorageFullException.class));
        assertTrue(StoreAccessException.class.isAssignableFrom(ReadOnlyStoreException.class));
        assertTrue(InvalidValueException.class.isAssignableFrom(InvalidNameException.class));
        assertTrue(RunlogException.class.isAssignableFrom(StoreAccessException.class));
        assertTrue(RunlogException.class.isAssignableFrom(InvalidValueException.class));
    }

    @Test
    void shouldLetOneCatchOfStoreAccessCoverALockedStoreAndOneOfInvalidValueABadName() {
        try (RunlogStore store = RunlogStore.open(tmp)) {
            final StoreAccessException locked = assertThrows(StoreAccessException.class, () -> RunlogStore.open(tmp));
            assertInstanceOf(StoreLockedException.class, locked);
            final InvalidValueException badName = assertThrows(InvalidValueException.class,
                () -> store.createProject("bad name", ProjectKind.EXPERIMENT_MANAGEMENT));
            assertInstanceOf(InvalidNameException.class, badName);
        }
    }
}
