package io.runlog.archive;

import io.runlog.ImportResult;
import io.runlog.RunlogStore;

import java.nio.file.Path;

/**
 * Child JVM of {@link ImportCrashTest}: imports an archive into a store and prints one line
 * {@code block N} after each block of the import's writing pass, then {@code done ...}.
 * Arguments: store directory, archive.
 */
public final class ImportChild {
    private ImportChild() {
    }

    public static void main(final String[] args) {
        final long[] blocks = {0};
        try (RunlogStore store = RunlogStore.open(Path.of(args[0]), ArchiveFixtures.options())) {
            final ImportResult r = ArchiveImporter.importArchive(store, Path.of(args[1]), (done, total) -> {
                System.out.println("block " + ++blocks[0]);
                System.out.flush();
            });
            System.out.println("done added=" + r.added() + " skipped=" + r.skipped());
        }
    }
}
