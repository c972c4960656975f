package io.runlog.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@link FileSystemFacade} over {@code java.nio.file}. */
final class DefaultFileSystem implements FileSystemFacade {
    @Override
    public long usableSpace(final Path path) throws IOException {
        return path.toFile().getUsableSpace(); // one statvfs call; FileStore would parse the mount table
    }

    @Override
    public FileChannel open(final Path path, final OpenOption... options) throws IOException {
        return FileChannel.open(path, options);
    }

    @Override
    public void moveAtomically(final Path source, final Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void deleteIfExists(final Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void createDirectories(final Path path) throws IOException {
        Files.createDirectories(path);
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
