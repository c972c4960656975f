package io.runlog;

/**
 * The store, experiment or handle was closed before the call.
 */
public class ClosedException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public ClosedException(final String message) {
        super(message);
    }

    public ClosedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
