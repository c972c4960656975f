package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.store.StoreLayout;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --dir} option every command takes, and how commands open the store it names. */
public final class StoreDirOption {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./runlog-data",
        description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--disk-reserve", paramLabel = "BYTES", converter = ByteSize.class,
        description = "Free disk space writes must leave (default 64M); 0 turns the check off. Suffixes K, M, G"
            + " (powers of 1024).")
    Long diskReserve;

    /** The directory named by {@code --dir}. */
    Path directory() {
        return dir;
    }

    /** Opens the store, creating it if the directory holds none. */
    RunlogStore openOrCreate(final StoreOptions options) {
        return RunlogStore.open(dir, options);
    }

    /** Opens an existing store; commands that only read never create one. */
    RunlogStore openExisting(final StoreOptions options) {
        if (!Files.exists(dir)) {
            throw new CliException("no store at " + dir + " (no such directory)");
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("no store at " + dir + " (it is a file, not a directory)");
        }
        if (!Files.isRegularFile(dir.resolve(StoreLayout.STORE_FILE))) {
            throw new CliException("no store at " + dir + " (the directory holds no " + StoreLayout.STORE_FILE + ")");
        }
        return RunlogStore.open(dir, options);
    }
}
