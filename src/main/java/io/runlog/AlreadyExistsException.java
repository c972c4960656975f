package io.runlog;

/**
 * A project or experiment with that name or key exists already.
 */
public class AlreadyExistsException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(final String message) {
        super(message);
    }

    public AlreadyExistsException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
