package io.runlog;

/**
 * A value is not acceptable: text with a lone surrogate, a record larger than the journal accepts, a prompt in a project that does not log prompts, and the like.
 */
public class InvalidValueException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(final String message) {
        super(message);
    }

    public InvalidValueException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
