package io.runlog.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Sets the system properties that keep Runlog's dependencies quiet and local, before any
 * Chronicle or JNA class loads. Called from the static initialiser of every public entry point
 * ({@code RunlogStore}, {@code StoreOptions}, the CLI), so an embedder gets it whatever it calls
 * first.
 *
 * <p>Guarantees, by default (a property the embedder set explicitly is left alone):
 * <ul>
 *   <li>{@code chronicle.analytics.disable=true}: Chronicle never reports usage over the network
 *       and never writes its client-id file into the user's home;</li>
 *   <li>{@code chronicle.announcer.disable=true}: no banner on standard output;</li>
 *   <li>{@code chronicle.disk.monitor.disable=true}: no background disk-space thread (Runlog checks
 *       free space itself, see {@code DiskSpaceGuard});</li>
 *   <li>{@code jna.tmpdir} a private directory of this user under {@code java.io.tmpdir}
 *       ({@link #privateJnaDirectory}): JNA never creates {@code ~/.cache/JNA}, users never share
 *       (or break) each other's directory, and nobody else can plant a native library in it.</li>
 * </ul>
 */
public final class JvmDefaults {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final boolean APPLIED = applyOnce();

    private JvmDefaults() {
    }

    /** Idempotent; the work is done once, when this class initialises. */
    public static void apply() {
        if (!APPLIED) {
            throw new IllegalStateException("unreachable");
        }
    }

    private static boolean applyOnce() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("disable.resource.warning", "true");
        setIfAbsent("jvm.resource.tracing", "false");
        if (System.getProperty("jna.tmpdir") == null) {
            final Path dir = privateJnaDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                System.getProperty("user.name", ""));
            if (dir != null) {
                System.setProperty("jna.tmpdir", dir.toString());
            }
        }
        return true;
    }

    /**
     * {@code TMP/runlog-USER/jna}: created {@code 0700}, and used only if {@code TMP/runlog-USER}
     * and {@code jna} are real directories (not links) owned by this user with no access for
     * group or others. A directory someone else created or opened up is never used (it could
     * hold a planted library): then a fresh private directory {@code TMP/runlog-jna-RANDOM} is
     * made for this process. Null if not even that can be made (JNA then chooses).
     */
    static Path privateJnaDirectory(final Path tmp, final String user) {
        final String name = user.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            final UserPrincipal me = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            if (!name.isEmpty() && !name.startsWith(".")) {
                final Path base = tmp.resolve("runlog-" + name);
                final Path jna = base.resolve("jna");
                if (privateDirectory(base, me) && privateDirectory(jna, me)) {
                    return jna;
                }
            }
        } catch (final IOException | UnsupportedOperationException | SecurityException e) {
            // no such user in the password database, or no POSIX permissions: a fresh directory below
        }
        try {
            return Files.createTempDirectory(tmp, "runlog-jna-"); // 0700 on POSIX, ours, never used before
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Creates {@code dir} 0700 if missing; true if it is then a directory, not a link, owned by
     * {@code me}, 0700. An existing directory with access for group or others is refused (someone
     * may have written into it meanwhile), never repaired.
     */
    private static boolean privateDirectory(final Path dir, final UserPrincipal me) throws IOException {
        boolean created = false;
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            created = true;
        } catch (final FileAlreadyExistsException exists) {
            // checked below
        }
        final PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || !a.owner().equals(me)) {
            return false;
        }
        if (!a.permissions().equals(OWNER_ONLY)) {
            if (!created) {
                return false;
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY); // just made: a umask took bits away, none were added
        }
        return true;
    }

    private static void setIfAbsent(final String key, final String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
