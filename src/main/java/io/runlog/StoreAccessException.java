package io.runlog;

/**
 * The store directory cannot be used: the path is a regular file, is not writable, or an I/O error stopped the operation.
 */
public class StoreAccessException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public StoreAccessException(final String message) {
        super(message);
    }

    public StoreAccessException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
