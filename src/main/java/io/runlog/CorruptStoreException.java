package io.runlog;

/**
 * Stored data failed a consistency check (bad magic, unknown record type, impossible length). The message names the file and offset or index.
 */
public class CorruptStoreException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public CorruptStoreException(final String message) {
        super(message);
    }

    public CorruptStoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
