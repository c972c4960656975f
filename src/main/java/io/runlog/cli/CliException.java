package io.runlog.cli;

/**
 * An error the command line reports as one line {@code runlog: error: <message>} with exit status
 * 1: the message says what was wrong and why, and is meant for the user, not a stack trace.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(final String message) {
        super(message);
    }

    CliException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
