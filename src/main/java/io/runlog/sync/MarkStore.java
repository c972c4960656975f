package io.runlog.sync;

import io.runlog.StoreAccessException;
import io.runlog.internal.IoErrors;
import io.runlog.store.AtomicFile;
import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Internal: the sync client's own record of what a server acknowledged, one small file per
 * (server, project, experiment), in a directory of its own.
 *
 * <p><b>Where:</b> by default {@code <store>/sync-client/} ({@link #DEFAULT_DIR}), a directory no
 * store writer creates, reads, recovers, exports or removes: so a {@code runlog sync --follow} in
 * another process may write its marks while a harness holds the store, and an export never carries
 * them. A caller may name any other directory ({@code SyncOptions.markDirectory}, {@code --marks}).
 *
 * <p><b>What:</b> the server's mark exactly as the server sent it (opaque bytes), with the server,
 * project and experiment it belongs to. The file is text:
 * <pre>
 * runlog-sync-mark 1
 * server http://host:port
 * project P
 * experiment E
 * mark BASE64
 * crc32c 8 HEX DIGITS          (of every byte before this line)
 * </pre>
 * File name: the first 32 hex digits of SHA-256 of {@code server \n project \n experiment}, then
 * {@code .mark}.
 *
 * <p><b>Crash safety:</b> written whole through {@link AtomicFile} (temporary file, fsync, atomic
 * rename over the old one, directory fsync), so a crash leaves the old mark or the new one. It is
 * written only after the server answered {@code 200} for the data it counts. The mark is a cache:
 * the server's own mark ({@code GET}) always wins at start, so a lost, stale or damaged local mark
 * costs at most a re-send that the server's idempotent import skips; a damaged file reads as absent.
 *
 * <p>Thread-safe (each call is one whole-file read or write).
 */
public final class MarkStore {
    /** Default mark directory, relative to the store's root. */
    public static final String DEFAULT_DIR = "sync-client";
    private static final String MAGIC = "runlog-sync-mark 1";

    private final FileSystemFacade fs;
    private final Path dir;

    public MarkStore(final FileSystemFacade fs, final Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** The file of one (server, project, experiment). */
    public Path file(final URI server, final String project, final String experiment) {
        try {
            final byte[] h = MessageDigest.getInstance("SHA-256").digest(
                (server + "\n" + project + "\n" + experiment).getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".mark");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The acknowledged mark, or empty if none was written or the file is damaged. */
    public Optional<byte[]> read(final URI server, final String project, final String experiment) {
        final Path file = file(server, project, experiment);
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        final String text;
        try {
            text = new String(fs.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read sync mark " + file + ": " + IoErrors.describe(e), e);
        }
        final int crcAt = text.lastIndexOf("crc32c ");
        if (!text.startsWith(MAGIC + "\n") || crcAt < 0) {
            return Optional.empty();
        }
        final String body = text.substring(0, crcAt);
        final CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        if (!text.substring(crcAt + 7).strip().equals(String.format("%08x", crc.getValue()))) {
            return Optional.empty();
        }
        final String expectedHead = head(server, project, experiment);
        if (!body.startsWith(expectedHead)) {
            return Optional.empty();
        }
        final String rest = body.substring(expectedHead.length());
        if (!rest.startsWith("mark ") || !rest.endsWith("\n")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(rest.substring(5, rest.length() - 1)));
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Replaces the mark, crash-safely; creates the directory if needed. */
    public void write(final URI server, final String project, final String experiment, final byte[] mark) {
        final Path file = file(server, project, experiment);
        final String body = head(server, project, experiment) + "mark " + Base64.getEncoder().encodeToString(mark) + "\n";
        final CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        final String text = body + "crc32c " + String.format("%08x", crc.getValue()) + "\n";
        try {
            fs.createDirectories(dir);
            AtomicFile.write(fs, file, text.getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write sync mark " + file + ": " + IoErrors.describe(e), e);
        }
    }

    private static String head(final URI server, final String project, final String experiment) {
        return MAGIC + "\nserver " + server + "\nproject " + project + "\nexperiment " + experiment + "\n";
    }
}
