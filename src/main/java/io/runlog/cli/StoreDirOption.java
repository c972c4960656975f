package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.StorageFullException;
import io.runlog.StoreAccessException;
import io.runlog.StoreLockedException;
import io.runlog.StoreOptions;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreLayout;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
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
        requireStore();
        return RunlogStore.open(dir, options);
    }

    /**
     * Opens an existing store for a command that only reads: read-write when it can (that open
     * recovers what a writer that died left in its ring), otherwise read-only
     * ({@link RunlogStore#openReadOnly}), saying why in one line on {@code err}: another process
     * holds the store (a harness logging into it), the disk is below the reserve (a read-write
     * open may have to write a dead writer's pending points), or the directory is not writable
     * (read-only media, another user's store).
     */
    RunlogStore openForReading(final StoreOptions options, final PrintWriter err) {
        requireStore();
        final long free = freeSpace();
        if (free >= 0 && free < options.diskReserveBytes()) {
            return readOnly(options, err, "disk space is below the reserve", free + " bytes free, reserve "
                + options.diskReserveBytes() + "; ");
        }
        try {
            return RunlogStore.open(dir, options);
        } catch (final StoreLockedException e) {
            return readOnly(options, err, "store is held by another process", "");
        } catch (final StorageFullException e) {
            return readOnly(options, err, "disk space is below the reserve", "");
        } catch (final StoreAccessException e) {
            if (FileSystemFacade.DEFAULT.isWritable(dir)) {
                throw e;
            }
            return readOnly(options, err, "store directory is not writable", "");
        }
    }

    private RunlogStore readOnly(final StoreOptions options, final PrintWriter err, final String why,
                                 final String detail) {
        err.println(why + "; reading read-only (" + detail + "points its writer has not drained yet are not shown)");
        err.flush();
        return RunlogStore.openReadOnly(dir, options);
    }

    /** Free bytes on the store's file system, or -1 if it cannot be asked. */
    private long freeSpace() {
        try {
            return FileSystemFacade.DEFAULT.usableSpace(dir);
        } catch (final IOException e) {
            return -1;
        }
    }

    private void requireStore() {
        if (!Files.exists(dir)) {
            throw new CliException("no store at " + dir + " (no such directory)");
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("no store at " + dir + " (it is a file, not a directory)");
        }
        if (!Files.isRegularFile(dir.resolve(StoreLayout.STORE_FILE))) {
            throw new CliException("no store at " + dir + " (the directory holds no " + StoreLayout.STORE_FILE + ")");
        }
    }
}
