package io.runlog;

/**
 * The store, journal or file was written by a newer Runlog format version than this build reads.
 */
public class UnsupportedFormatVersionException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatVersionException(final String message) {
        super(message);
    }

    public UnsupportedFormatVersionException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
