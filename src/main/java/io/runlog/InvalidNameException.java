package io.runlog;

/**
 * A name (metric, parameter, project, experiment key, item) is null, empty, too long, or holds a character Runlog does not accept (control characters, lone surrogates, path characters in keys).
 */
public class InvalidNameException extends InvalidValueException {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(final String message) {
        super(message);
    }

    public InvalidNameException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
