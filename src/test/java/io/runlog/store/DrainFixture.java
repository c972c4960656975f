package io.runlog.store;

import io.runlog.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What a {@link PointBatchWriter} test drains between: a journal, a point ring of the capacity the
 * subclass gives, a catalog and a writer, opened before and released after each test under a
 * temporary directory.
 */
abstract class DrainFixture {
    @TempDir
    Path dir;

    Journal journal;
    PointRing ring;
    ExperimentCatalog catalog;
    /** The writer under test; a test may replace it before its first drain. */
    PointBatchWriter writer = new PointBatchWriter();
    private final int ringCapacity;

    DrainFixture(final int ringCapacity) {
        this.ringCapacity = ringCapacity;
    }

    @BeforeEach
    void openDrain() {
        journal = Journal.open(dir.resolve("journal"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
        ring = PointRing.create(dir.resolve("points.ring"), FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, dir, 0), ringCapacity, 0);
        catalog = new ExperimentCatalog();
    }

    @AfterEach
    void closeDrain() {
        ring.unmap();
        journal.close();
    }
}
