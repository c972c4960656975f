package io.runlog.store;

import io.runlog.StoreAccessException;
import io.runlog.internal.IoErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Internal: a file a user named as the output of a command or an export ({@code export -o},
 * {@code plot -o}, {@code Experiment.export}), and how it is written without ever destroying what
 * the name stands for.
 *
 * <ul>
 *   <li>A symbolic link is followed (as the shell's {@code >} does), up to 40 links; its target
 *       is what gets written, and the link stays a link. A dangling link's target is created.</li>
 *   <li>A regular file, or a name that does not exist, is written whole under a temporary name
 *       ({@code .NAME.tmp-HEX}) in the target's own directory, forced to the device and renamed
 *       over the target: the target holds the old content or the complete new one, never a part.
 *       A new file gets the mode a plain new file gets ({@code 0666} less the umask, so 0644
 *       usually); a replaced file keeps its mode.</li>
 *   <li>Anything else that exists (a FIFO, a character or block device, a socket) is written
 *       directly, in place, never replaced: {@code -o /dev/null} discards, {@code -o fifo} feeds
 *       a reader. There is nothing to rename and nothing to force.</li>
 *   <li>A directory, or a target whose directory does not exist, is refused
 *       ({@link StoreAccessException}) before anything is written.</li>
 * </ul>
 *
 * <p>A temporary file is held under an exclusive lock while it is written. A writer killed with
 * {@code kill -9} leaves its temporary file behind, unlocked; the next write of the same name
 * (in any process) deletes such leftovers ({@link #removeStale}), and never one that a live
 * writer still holds.
 */
public final class OutputFile {
    private static final int MAX_LINKS = 40;
    private static final String TMP = ".tmp-";
    /** Temporary files this JVM is writing now: never opened by {@link #removeStale} (closing a second channel would drop the lock). */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    /** Writes the content to an open channel. */
    public interface Body<T> {
        /**
         * @param channel positioned at 0 of an empty temporary file, or of the FIFO or device
         * @param regular true for a regular file (which can be forced to the device), false for a FIFO or device
         */
        T write(FileChannel channel, boolean regular) throws IOException;
    }

    private final Path requested;
    private final Path target;
    private final boolean direct;
    private final String what;

    private OutputFile(final Path requested, final Path target, final boolean direct, final String what) {
        this.requested = requested;
        this.target = target;
        this.direct = direct;
        this.what = what;
    }

    /**
     * Resolves the name; fails before anything is written if it cannot be written.
     *
     * @param what how messages call the file, for example {@code "archive"} or {@code "chart"}
     * @throws StoreAccessException naming the path and the cause
     */
    public static OutputFile resolve(final Path requested, final String what) {
        Path p = requested.toAbsolutePath();
        int links = 0;
        try {
            while (Files.isSymbolicLink(p)) {
                if (++links > MAX_LINKS) {
                    throw new StoreAccessException("cannot write " + what + " " + requested
                        + ": too many levels of symbolic links");
                }
                final Path link = Files.readSymbolicLink(p);
                p = p.resolveSibling(link).toAbsolutePath();
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write " + what + " " + requested + ": cannot follow the symbolic link "
                + p + ": " + IoErrors.describe(e, p), e);
        }
        final String via = p.equals(requested.toAbsolutePath()) ? "" : " (the target of symbolic link " + requested + ")";
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new StoreAccessException("cannot write " + what + " " + p + via + ": it is a directory");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return new OutputFile(requested, p, true, what);
            }
        }
        final Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StoreAccessException("cannot write " + what + " " + p + via + ": directory " + dir
                + " does not exist");
        }
        return new OutputFile(requested, p, false, what);
    }

    /** The file that is written: the name given, or the end of its chain of symbolic links. */
    public Path target() {
        return target;
    }

    /** True for a FIFO, device or socket: written in place. */
    public boolean direct() {
        return direct;
    }

    /**
     * Writes the content: through a temporary file and a rename for a regular target, directly
     * for a FIFO or device.
     *
     * @throws StoreAccessException naming the file and the cause; the target is then unchanged (a
     *                              FIFO's reader may have received a part)
     */
    public <T> T write(final FileSystemFacade fs, final Body<T> body) {
        if (direct) {
            try (FileChannel ch = fs.open(target, StandardOpenOption.WRITE)) {
                return body.write(ch, false);
            } catch (final IOException e) {
                throw new StoreAccessException("cannot write " + what + " " + target + ": " + IoErrors.describe(e, target), e);
            }
        }
        try {
            return replace(fs, target, body);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write " + what + " " + target + ": " + IoErrors.describe(e, target), e);
        }
    }

    /**
     * Writes a regular file whole: a locked temporary sibling {@code .NAME.tmp-HEX} (leftovers of
     * dead writers of the same name removed first), forced, renamed over {@code target}, the
     * directory forced. The temporary file never outlives the call; a replaced file keeps its mode.
     */
    static <T> T replace(final FileSystemFacade fs, final Path target, final Body<T> body) throws IOException {
        final Path dir = target.toAbsolutePath().getParent();
        final String name = target.getFileName().toString();
        removeStale(fs, dir, name);
        final Path tmp = dir.resolve("." + name + TMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        WRITING.add(tmp);
        boolean moved = false;
        try {
            final T result;
            try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.lock(); // released by close, or by the kernel if this process dies
                keepMode(target, tmp);
                result = body.write(ch, true);
                ch.force(true);
            }
            fs.moveAtomically(tmp, target);
            moved = true;
            fs.forceDirectory(dir);
            return result;
        } finally {
            WRITING.remove(tmp);
            if (!moved) {
                try {
                    fs.deleteIfExists(tmp);
                } catch (final IOException ignored) {
                    // hidden and unlocked: the next write of this name removes it
                }
            }
        }
    }

    /** A replaced regular file keeps its permissions; a new one has the default mode of a new file. */
    private static void keepMode(final Path target, final Path tmp) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                final Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(tmp, mode);
            } catch (final UnsupportedOperationException notPosix) {
                // nothing to keep
            }
        }
    }

    /**
     * Deletes the temporary files {@code .NAME.tmp-*} in {@code dir} that no live writer holds
     * (their writer died); returns how many. A file this JVM is writing, or one another process
     * holds locked, is left alone.
     */
    public static int removeStale(final FileSystemFacade fs, final Path dir, final String name) {
        final String prefix = "." + name + TMP;
        int removed = 0;
        try {
            for (final Path stale : fs.list(dir)) {
                final String n = stale.getFileName().toString();
                if (n.startsWith(prefix) && isHex(n, prefix.length()) && !WRITING.contains(stale)
                    && Files.isRegularFile(stale, LinkOption.NOFOLLOW_LINKS) && deleteIfUnlocked(fs, stale)) {
                    removed++;
                }
            }
        } catch (final IOException e) {
            // cannot list: nothing to clean; the write itself reports what is wrong with the directory
        }
        return removed;
    }

    private static boolean deleteIfUnlocked(final FileSystemFacade fs, final Path stale) {
        try (FileChannel ch = fs.open(stale, StandardOpenOption.WRITE)) {
            if (ch.tryLock() == null) {
                return false; // a live writer in another process
            }
            fs.deleteIfExists(stale);
            return true;
        } catch (final IOException | java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    private static boolean isHex(final String s, final int from) {
        if (s.length() == from || s.length() - from > 16) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return requested.equals(target) ? target.toString() : requested + " -> " + target;
    }
}
