package io.runlog.server;

import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;
import io.runlog.internal.IoErrors;
import io.runlog.internal.Names;
import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The API keys of a sync server, each bound to one project, kept in a key file that holds only
 * salted SHA-256 hashes (docs/sync.md, "The server"): one line per key,
 * {@code project<TAB>salt (hex)<TAB>SHA-256(salt || key) (hex)}; lines starting with {@code #}
 * are comments. A presented key is hashed with every entry's salt and compared with
 * {@link MessageDigest#isEqual} (constant time), every entry whatever matched, so the time of an
 * answer says nothing about which entry (or how much of one) matched. Keys themselves are never
 * stored, logged or echoed. Immutable once loaded; thread-safe.
 */
public final class ApiKeys {
    /** Every key starts with this, so that a leaked one is easy to find in logs and repositories. */
    public static final String PREFIX = "rlk_";
    private static final int KEY_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** One entry of the file. */
    record Entry(String project, byte[] salt, byte[] hash, String id) {
    }

    private final List<Entry> entries;

    private ApiKeys(final List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No keys: every request is refused with 401. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * Loads a key file (an absent file holds no keys).
     *
     * @throws CorruptStoreException naming the line for a malformed one
     * @throws StoreAccessException if the file cannot be read
     */
    public static ApiKeys load(final Path file) {
        final FileSystemFacade fs = FileSystemFacade.DEFAULT;
        if (!fs.exists(file)) {
            return none();
        }
        final String text;
        try {
            text = new String(fs.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read key file " + file + ": " + IoErrors.describe(e), e);
        }
        final List<Entry> entries = new ArrayList<>();
        final String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.split("\t");
            try {
                if (f.length != 3) {
                    throw new IllegalArgumentException("expected project, salt and hash separated by tabs");
                }
                Names.checkKey("project name", f[0]);
                final byte[] salt = HEX.parseHex(f[1]);
                final byte[] hash = HEX.parseHex(f[2]);
                if (salt.length != SALT_BYTES || hash.length != 32) {
                    throw new IllegalArgumentException("salt must be 16 bytes and hash 32 (hex)");
                }
                entries.add(new Entry(f[0], salt, hash, f[2].substring(0, 16)));
            } catch (final RuntimeException e) {
                throw new CorruptStoreException("key file " + file + " line " + (i + 1) + " is malformed: " + e.getMessage());
            }
        }
        return new ApiKeys(entries);
    }

    /**
     * Makes a new random key (256 bits, URL-safe base64 after {@link #PREFIX}) for
     * {@code project}, appends its salted hash to {@code file} (created with owner-only
     * permissions where the file system has them, and forced to the device) and returns the key:
     * the only time it is seen.
     */
    public static String add(final Path file, final String project) {
        Names.checkKey("project name", project);
        final byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        final String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        final byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        final String line = project + "\t" + HEX.formatHex(salt) + "\t" + HEX.formatHex(hash(salt, key)) + "\n";
        final FileSystemFacade fs = FileSystemFacade.DEFAULT;
        try {
            final boolean created = !fs.exists(file);
            try (FileChannel ch = fs.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
                if (created) {
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (final UnsupportedOperationException notPosix) {
                        // a file system without POSIX permissions: nothing to narrow
                    }
                }
                final ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write key file " + file + ": " + IoErrors.describe(e), e);
        }
        return key;
    }

    /** The project a presented key is bound to, or null for an unknown (or null) key. */
    public String project(final String presentedKey) {
        final Entry e = entry(presentedKey);
        return e == null ? null : e.project();
    }

    /** The entry of a presented key, or null; every entry is compared, in constant time each. */
    Entry entry(final String presentedKey) {
        if (presentedKey == null) {
            return null;
        }
        Entry found = null;
        for (final Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash(e.salt(), presentedKey)) && found == null) {
                found = e;
            }
        }
        return found;
    }

    /** The number of keys. */
    public int size() {
        return entries.size();
    }

    private static byte[] hash(final byte[] salt, final String key) {
        try {
            final MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            d.update(key.getBytes(StandardCharsets.UTF_8));
            return d.digest();
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
