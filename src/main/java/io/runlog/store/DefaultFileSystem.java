package io.runlog.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

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
    public void moveAtomicallyNoReplace(final Path source, final Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
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
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public List<Path> list(final Path directory) throws IOException {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        return entries;
    }

    @Override
    public boolean exists(final Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(final Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public boolean isRegularFile(final Path path) {
        return Files.isRegularFile(path);
    }

    @Override
    public boolean isSymbolicLink(final Path path) {
        return Files.isSymbolicLink(path);
    }

    @Override
    public boolean isWritable(final Path path) {
        return Files.isWritable(path);
    }

    @Override
    public long size(final Path path) throws IOException {
        return Files.size(path);
    }
}
