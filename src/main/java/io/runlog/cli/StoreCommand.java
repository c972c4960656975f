package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** A sub-command that works on a store: the top-level command's options, {@code --dir} and {@code --disk-reserve}. */
abstract class StoreCommand extends CliCommand {
    @ParentCommand
    RunlogCommand parent;

    @Mixin
    StoreDirOption store;

    /** The options stores are opened with: the top-level command's, with {@code --disk-reserve} if given. */
    StoreOptions storeOptions() {
        final StoreOptions options = parent.storeOptions();
        return store.diskReserve == null ? options : options.copy().diskReserveBytes(store.diskReserve);
    }

    /**
     * Refuses an output file ({@code -o}) that is one of the store's own files: an archive or a
     * chart written over a journal cycle file, a manifest or the store file would destroy the
     * store. Inside {@code DIR/projects/}, and {@code DIR/runlog-store.properties} and
     * {@code DIR/runlog.lock}, are the store's; other places under {@code DIR} (the demo's
     * {@code exports/} and {@code charts/}) are fine. A symbolic link is judged by its target.
     */
    void refuseOutputInsideStore(final java.nio.file.Path output) {
        final java.nio.file.Path root = real(store.directory());
        final java.nio.file.Path target = real(output);
        if (target.startsWith(root.resolve(io.runlog.store.StoreLayout.PROJECTS_DIR))
            || target.equals(root.resolve(io.runlog.store.StoreLayout.STORE_FILE))
            || target.equals(root.resolve(io.runlog.store.StoreLayout.LOCK_FILE))) {
            throw new CliException("-o " + output + " is one of the store's own files (under " + root
                + "): writing it would destroy the store; write outside " + root.resolve(io.runlog.store.StoreLayout.PROJECTS_DIR));
        }
    }

    /** The path with every existing part's symbolic links resolved (the rest kept as given). */
    private static java.nio.file.Path real(final java.nio.file.Path p) {
        java.nio.file.Path existing = p.toAbsolutePath().normalize();
        java.nio.file.Path rest = null;
        while (existing != null) {
            try {
                final java.nio.file.Path r = existing.toRealPath();
                return rest == null ? r : r.resolve(rest);
            } catch (final java.io.IOException missing) {
                final java.nio.file.Path name = existing.getFileName();
                rest = name == null ? rest : rest == null ? name : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return p.toAbsolutePath().normalize();
    }

    /** Opens the existing store for a command that only reads ({@link StoreDirOption#openForReading}). */
    RunlogStore openForReading() {
        return store.openForReading(storeOptions(), err());
    }
}
