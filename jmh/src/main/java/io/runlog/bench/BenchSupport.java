package io.runlog.bench;

import io.runlog.RunlogStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Temp directories for benchmarks (always deleted afterwards) and disk-usage helpers. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Sets the quiet/local Chronicle properties before any Chronicle class loads (the mains need it). */
    static void quietChronicle() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private static void setIfAbsent(final String key, final String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** A fresh directory under java.io.tmpdir. */
    static Path tempDir(final String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes a store, then deletes its temporary directory whatever happened. */
    static void closeAndDelete(final RunlogStore store, final Path dir) {
        try {
            store.close();
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Deletes a directory tree; a null or vanished path is fine. */
    static void deleteRecursively(final Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Bytes allocated on disk for a tree, from {@code du -B1 -s} (sparse files count what is allocated). */
    static long allocatedBytes(final Path dir) {
        try {
            final Process p = new ProcessBuilder("du", "-B1", "-s", dir.toString()).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("du failed: " + out);
            }
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sum of the regular files' lengths (apparent size) in a tree. */
    static long apparentBytes(final Path dir) {
        final AtomicLong sum = new AtomicLong();
        try (var files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    sum.addAndGet(Files.size(f));
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum.get();
    }
}
