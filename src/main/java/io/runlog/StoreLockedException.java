package io.runlog;

/**
 * Another live process holds the store open. A store left locked by a dead process is reopened without this error.
 */
public class StoreLockedException extends StoreAccessException {
    private static final long serialVersionUID = 1L;

    public StoreLockedException(final String message) {
        super(message);
    }

    public StoreLockedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
