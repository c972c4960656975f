package io.runlog;

/**
 * The disk holding the store has less free space than the configured reserve. Nothing was written by the call that threw it; data acknowledged before stays.
 */
public class StorageFullException extends StoreAccessException {
    private static final long serialVersionUID = 1L;

    public StorageFullException(final String message) {
        super(message);
    }

    public StorageFullException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
