package io.runlog;

/**
 * The server refused the API key: {@code 401} (missing or unknown key) or {@code 403} (a key of
 * another project). The message names the server, the status and the project; it never contains
 * the key. Retrying with the same key cannot succeed, so the sync stops and reports this.
 */
public class SyncAuthException extends SyncException {
    private static final long serialVersionUID = 1L;

    public SyncAuthException(final String message, final int status) {
        super(message, status);
    }
}
