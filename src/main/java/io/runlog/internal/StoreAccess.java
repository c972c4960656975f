package io.runlog.internal;

import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.sample.SampleCache;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreEngine;

/**
 * Internal: what Runlog's own packages (archive import, the CLI), its tests and benchmarks reach
 * in a {@link RunlogStore} and a {@link StoreOptions} that is not public API: the store's engine,
 * its sampled-metric cache, and the file-system seam ({@link FileSystemFacade}, which tests replace
 * with a fault-injecting facade). Keeping these out of the public classes keeps types of
 * {@code io.runlog.store} and {@code io.runlog.sample} out of the public signatures
 * ({@code ApiSurfaceTest}).
 *
 * <p>Contract: {@link StoreOptions} installs the one implementation in its static initialiser
 * (every {@link RunlogStore} is opened with options, so it is installed before any store exists);
 * the static methods here initialise that class first. Nothing else may call {@link #install}.
 * Not part of the public API; may change without notice.
 */
public interface StoreAccess {
    /** The engine behind a store. */
    StoreEngine engineOf(RunlogStore store);

    /** The cache of sampled metrics of a store. */
    SampleCache sampleCacheOf(RunlogStore store);

    /** The file-system seam of some options (default {@link FileSystemFacade#DEFAULT}). */
    FileSystemFacade fileSystemOf(StoreOptions options);

    /** Sets the file-system seam of some options; returns them. */
    StoreOptions withFileSystem(StoreOptions options, FileSystemFacade fileSystem);

    static StoreEngine engine(final RunlogStore store) {
        return get().engineOf(store);
    }

    static SampleCache sampleCache(final RunlogStore store) {
        return get().sampleCacheOf(store);
    }

    static FileSystemFacade fileSystem(final StoreOptions options) {
        return get().fileSystemOf(options);
    }

    static StoreOptions fileSystem(final StoreOptions options, final FileSystemFacade fileSystem) {
        return get().withFileSystem(options, fileSystem);
    }

    /** The installed implementation (initialising {@link StoreOptions}, which installs it, if need be). */
    static StoreAccess get() {
        StoreAccess access = Holder.access;
        if (access == null) {
            try {
                Class.forName(StoreOptions.class.getName(), true, StoreOptions.class.getClassLoader());
            } catch (final ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = Holder.access;
        }
        return access;
    }

    /** Installs the implementation; called once, by {@link StoreOptions}' static initialiser. */
    static void install(final StoreAccess access) {
        if (Holder.access != null) {
            throw new IllegalStateException("StoreAccess is installed once, by StoreOptions");
        }
        Holder.access = access;
    }

    /** Holds the installed implementation. */
    final class Holder {
        private static volatile StoreAccess access;

        private Holder() {
        }
    }
}
