package io.runlog;

/**
 * A project, experiment or metric that was asked for does not exist.
 */
public class NotFoundException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(final String message) {
        super(message);
    }

    public NotFoundException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
