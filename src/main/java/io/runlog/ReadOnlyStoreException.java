package io.runlog;

/**
 * A write was asked of a store opened with {@link RunlogStore#openReadOnly}: creating a project or
 * an experiment, logging a point, a parameter, an output line, an item or a prompt, importing,
 * or {@code sync()}. Nothing was written. Open the store with {@link RunlogStore#open} to write
 * (which needs the store lock, so the process writing it now must close it first).
 */
public class ReadOnlyStoreException extends StoreAccessException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyStoreException(final String message) {
        super(message);
    }
}
