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

    /** Opens the existing store for a command that only reads ({@link StoreDirOption#openForReading}). */
    RunlogStore openForReading() {
        return store.openForReading(storeOptions(), err());
    }
}
