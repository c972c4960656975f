package io.runlog;

/**
 * Base of every error Runlog throws on purpose. Each subclass names one kind of problem, and every
 * message says what was wrong and, where it helps, what to do. A {@code RunlogException} never
 * leaves stored data half-written: the operation that threw it had no effect on the store unless
 * its subclass documents otherwise.
 */
public class RunlogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunlogException(final String message) {
        super(message);
    }

    public RunlogException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
