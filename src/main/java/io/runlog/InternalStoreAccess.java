package io.runlog;

import io.runlog.internal.StoreAccess;
import io.runlog.sample.SampleCache;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreEngine;

/** The one {@link StoreAccess}: reaches the package-private parts of {@link RunlogStore} and {@link StoreOptions}. */
final class InternalStoreAccess implements StoreAccess {
    @Override
    public StoreEngine engineOf(final RunlogStore store) {
        return store.engine();
    }

    @Override
    public SampleCache sampleCacheOf(final RunlogStore store) {
        return store.sampleCache();
    }

    @Override
    public FileSystemFacade fileSystemOf(final StoreOptions options) {
        return options.fileSystem();
    }

    @Override
    public StoreOptions withFileSystem(final StoreOptions options, final FileSystemFacade fileSystem) {
        return options.fileSystem(fileSystem);
    }
}
