package io.runlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Bytes a file tree occupies on disk: allocated blocks, not apparent size. Runlog's journals and
 * rings are memory-mapped and sparse, so their apparent size overstates what they use.
 *
 * <p>Java exposes no block count ({@code st_blocks}), so this runs the POSIX {@code du -sk PATH}
 * once per tree. Chronicle's {@code net.openhft.posix.PosixAPI.du(String)} is no alternative: in
 * posix 2026.2 it, too, forks {@code du PATH}, but returns the first number of the first line in
 * du's default unit (KiB, or 512-byte blocks under POSIXLY_CORRECT), which for a directory is a
 * subdirectory's figure, so it would cost one process per file. If {@code du} cannot run, the
 * apparent size is returned instead and flagged as such.
 */
final class DiskUsage {
    private static final long TIMEOUT_SECONDS = 60;

    /** @param estimated true if {@code du} failed and {@code bytes} is the apparent size */
    record Size(long bytes, boolean estimated) {
        Size plus(final Size other) {
            return new Size(bytes + other.bytes, estimated || other.estimated);
        }
    }

    static final Size ZERO = new Size(0, false);

    private DiskUsage() {
    }

    static Size of(final Path path) {
        final long allocated = allocatedBytes(path);
        return allocated >= 0 ? new Size(allocated, false) : new Size(apparentBytes(path), true);
    }

    /** {@code du -sk} in bytes, or -1 if it cannot tell. */
    static long allocatedBytes(final Path path) {
        final Process process;
        try {
            process = new ProcessBuilder("du", "-sk", path.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
        try (InputStream in = process.getInputStream()) {
            final String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return -1;
            }
            final String first = output.strip().split("\\s+", 2)[0];
            return Math.multiplyExact(Long.parseLong(first), 1024L);
        } catch (final IOException | RuntimeException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            process.destroy();
        }
    }

    /** Sum of the sizes of the regular files under {@code path}. */
    static long apparentBytes(final Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (final IOException e) {
                    return 0;
                }
            }).sum();
        } catch (final IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
