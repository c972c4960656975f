package io.runlog.server;

import java.nio.file.Path;

/**
 * The API keys of a sync server, each bound to one project, kept in a key file that holds only
 * salted SHA-256 hashes (docs/sync.md, "The server"): one line per key,
 * {@code project<TAB>salt (hex)<TAB>SHA-256(salt || key) (hex)}. A presented key is hashed with
 * every entry's salt and compared with {@link java.security.MessageDigest#isEqual} (constant
 * time). Keys themselves are never stored, logged or echoed. Thread-safe; immutable once loaded.
 */
public final class ApiKeys {
    private ApiKeys() {
    }

    /** Loads a key file (an absent file holds no keys). */
    public static ApiKeys load(final Path file) {
        throw new UnsupportedOperationException("next commit");
    }

    /**
     * Makes a new random key (256 bits) for {@code project}, appends its hash to {@code file}
     * (created with owner-only permissions) and returns the key: the only time it is seen.
     */
    public static String add(final Path file, final String project) {
        throw new UnsupportedOperationException("next commit");
    }

    /** The project a presented key is bound to, or null for an unknown key. */
    public String project(final String presentedKey) {
        throw new UnsupportedOperationException("next commit");
    }
}
