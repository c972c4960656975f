package io.runlog.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child JVM that holds an exclusive lock on a file, as a live writer of a temporary file does:
 * locks it, prints {@code locked}, and holds it until it is killed or its standard input closes.
 * Argument: the file (created if missing).
 */
public final class FileLockChild {
    private FileLockChild() {
    }

    public static void main(final String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.lock();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
