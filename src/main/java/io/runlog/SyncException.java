package io.runlog;

/**
 * A sync or upload failed for a reason that retrying cannot fix: the server refused the request
 * itself ({@link #status()} 400, 404, 409, 413, ...), or the reply broke the protocol. Network errors,
 * {@code 5xx} and {@code 429} are never thrown as this: the sync retries them forever.
 * Nothing of a refused segment is stored on the server; nothing local changes.
 */
public class SyncException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status of the refusal, or 0 if there was none (a protocol error)
     */
    public SyncException(final String message, final int status) {
        super(message);
        this.status = status;
    }

    public SyncException(final String message, final int status, final Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the refusal, or 0 for a reply that broke the protocol. */
    public int status() {
        return status;
    }
}
