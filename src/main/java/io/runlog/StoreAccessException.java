package io.runlog;

/**
 * The store directory cannot be used: the path is a regular file, is not writable, or an I/O error stopped the
 * operation. Subclasses: {@link StoreLockedException} (another process holds the store) and
 * {@link StorageFullException} (the disk is below the reserve), so one catch covers "cannot use the store now".
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
