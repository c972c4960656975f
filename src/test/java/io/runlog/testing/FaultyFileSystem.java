package io.runlog.testing;

import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * A {@link FileSystemFacade} that forwards every operation to another facade (by default
 * {@link FileSystemFacade#DEFAULT}) after calling that operation's hook, which may throw to inject
 * a fault (after QuestDB's {@code TestFilesFacade}). Every hook is a no-op until set; hooks may be
 * changed while the store runs (they are volatile).
 *
 * <p>Two common faults have shorthands: {@link #usableSpace(long)} (a disk with that much free
 * space) and {@link #readOnly(boolean)} (every write refused, as a read-only directory would for
 * an unprivileged user).
 */
public final class FaultyFileSystem implements FileSystemFacade {
    /** A hook of an operation on one path; throw to make the operation fail before it runs. */
    @FunctionalInterface
    public interface PathHook {
        void before(Path path) throws IOException;
    }

    /** The hook of {@link #open}: sees the options too. */
    @FunctionalInterface
    public interface OpenHook {
        void before(Path path, Set<OpenOption> options) throws IOException;
    }

    /** The hook of both renames. */
    @FunctionalInterface
    public interface MoveHook {
        void before(Path source, Path target) throws IOException;
    }

    /** The hook of {@link #usableSpace}: given the real answer, returns the one to give. */
    @FunctionalInterface
    public interface SpaceHook {
        long usableSpace(Path path, long real) throws IOException;
    }

    /** The questions about a path. */
    public enum Query { EXISTS, IS_DIRECTORY, IS_REGULAR_FILE, IS_SYMBOLIC_LINK, IS_WRITABLE }

    /** The hook of the questions: given the real answer, returns the one to give. */
    @FunctionalInterface
    public interface QueryHook {
        boolean answer(Query query, Path path, boolean real);
    }

    private static final PathHook NONE = path -> { };

    private final FileSystemFacade delegate;
    private volatile SpaceHook onUsableSpace = (path, real) -> real;
    private volatile OpenHook onOpen = (path, options) -> { };
    private volatile MoveHook onMove = (source, target) -> { };
    private volatile PathHook onDelete = NONE;
    private volatile PathHook onCreateDirectories = NONE;
    private volatile PathHook onForceDirectory = NONE;
    private volatile PathHook onList = NONE;
    private volatile PathHook onSize = NONE;
    private volatile QueryHook onQuery = (query, path, real) -> real;

    public FaultyFileSystem() {
        this(DEFAULT);
    }

    public FaultyFileSystem(final FileSystemFacade delegate) {
        this.delegate = delegate;
    }

    public FaultyFileSystem onUsableSpace(final SpaceHook hook) {
        this.onUsableSpace = hook;
        return this;
    }

    public FaultyFileSystem onOpen(final OpenHook hook) {
        this.onOpen = hook;
        return this;
    }

    public FaultyFileSystem onMove(final MoveHook hook) {
        this.onMove = hook;
        return this;
    }

    public FaultyFileSystem onDelete(final PathHook hook) {
        this.onDelete = hook;
        return this;
    }

    public FaultyFileSystem onCreateDirectories(final PathHook hook) {
        this.onCreateDirectories = hook;
        return this;
    }

    public FaultyFileSystem onForceDirectory(final PathHook hook) {
        this.onForceDirectory = hook;
        return this;
    }

    public FaultyFileSystem onList(final PathHook hook) {
        this.onList = hook;
        return this;
    }

    public FaultyFileSystem onSize(final PathHook hook) {
        this.onSize = hook;
        return this;
    }

    public FaultyFileSystem onQuery(final QueryHook hook) {
        this.onQuery = hook;
        return this;
    }

    /** Reports {@code bytes} free on every file store. */
    public FaultyFileSystem usableSpace(final long bytes) {
        return onUsableSpace((path, real) -> bytes);
    }

    /** Refuses (or, with false, allows again) every operation that would change a file or directory. */
    public FaultyFileSystem readOnly(final boolean readOnly) {
        if (!readOnly) {
            return onOpen((path, options) -> { }).onMove((source, target) -> { }).onDelete(NONE).onCreateDirectories(NONE)
                .onQuery((query, path, real) -> real);
        }
        return onQuery((query, path, real) -> query != Query.IS_WRITABLE && real).onOpen((path, options) -> {
            if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
                || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW)) {
                throw denied(path);
            }
        }).onMove((source, target) -> {
            throw denied(target);
        }).onDelete(path -> {
            throw denied(path);
        }).onCreateDirectories(path -> {
            throw denied(path);
        });
    }

    private static AccessDeniedException denied(final Path path) {
        return new AccessDeniedException(path.toString(), null, "read-only file system (injected)");
    }

    @Override
    public long usableSpace(final Path path) throws IOException {
        return onUsableSpace.usableSpace(path, delegate.usableSpace(path));
    }

    @Override
    public FileChannel open(final Path path, final OpenOption... options) throws IOException {
        onOpen.before(path, Set.of(options));
        return delegate.open(path, options);
    }

    @Override
    public void moveAtomically(final Path source, final Path target) throws IOException {
        onMove.before(source, target);
        delegate.moveAtomically(source, target);
    }

    @Override
    public void moveAtomicallyNoReplace(final Path source, final Path target) throws IOException {
        onMove.before(source, target);
        delegate.moveAtomicallyNoReplace(source, target);
    }

    @Override
    public void deleteIfExists(final Path path) throws IOException {
        onDelete.before(path);
        delegate.deleteIfExists(path);
    }

    @Override
    public void createDirectories(final Path path) throws IOException {
        onCreateDirectories.before(path);
        delegate.createDirectories(path);
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException {
        onForceDirectory.before(directory);
        delegate.forceDirectory(directory);
    }

    @Override
    public List<Path> list(final Path directory) throws IOException {
        onList.before(directory);
        return delegate.list(directory);
    }

    @Override
    public boolean exists(final Path path) {
        return onQuery.answer(Query.EXISTS, path, delegate.exists(path));
    }

    @Override
    public boolean isDirectory(final Path path) {
        return onQuery.answer(Query.IS_DIRECTORY, path, delegate.isDirectory(path));
    }

    @Override
    public boolean isRegularFile(final Path path) {
        return onQuery.answer(Query.IS_REGULAR_FILE, path, delegate.isRegularFile(path));
    }

    @Override
    public boolean isSymbolicLink(final Path path) {
        return onQuery.answer(Query.IS_SYMBOLIC_LINK, path, delegate.isSymbolicLink(path));
    }

    @Override
    public boolean isWritable(final Path path) {
        return onQuery.answer(Query.IS_WRITABLE, path, delegate.isWritable(path));
    }

    @Override
    public long size(final Path path) throws IOException {
        onSize.before(path);
        return delegate.size(path);
    }
}
