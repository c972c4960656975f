package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Content-addressed payload files of one experiment ({@code blobs/<sha256>}), kept out of the
 * journal so that payloads of hundreds of megabytes never pass through it. A payload is written
 * to {@code blobs/tmp-*}, forced to the device, then renamed atomically to its hash: a crash
 * leaves either no blob or a whole one (stray {@code tmp-*} files are removed on open). Equal
 * payloads are stored once. Thread-safe.
 */
final class BlobStore {
    /** A stored payload. */
    record Stored(String sha256, long length) {
    }

    private final Path dir;
    private final FileSystemFacade fs;
    private final DiskSpaceGuard guard;

    BlobStore(final Path dir, final FileSystemFacade fs, final DiskSpaceGuard guard) {
        this.dir = dir;
        this.fs = fs;
        this.guard = guard;
    }

    void forceDirectory() {
        if (fs.isDirectory(dir)) {
            ExperimentEngine.forceDirectory(fs, dir);
        }
    }

    /** Removes temporary files left by a crash mid-write. */
    void removeStrayTemporaries() {
        if (!fs.isDirectory(dir)) {
            return;
        }
        try {
            for (final Path p : fs.list(dir)) {
                if (p.getFileName().toString().startsWith(StoreLayout.BLOB_TMP_PREFIX)) {
                    fs.deleteIfExists(p);
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    Stored put(final byte[] payload) {
        guard.reserveNow(payload.length);
        return write((ch, md) -> {
            md.update(payload);
            final ByteBuffer b = ByteBuffer.wrap(payload);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return payload.length;
        });
    }

    Stored put(final InputStream in) {
        return write((ch, md) -> {
            final byte[] chunk = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                guard.reserve(n);
                md.update(chunk, 0, n);
                final ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                total += n;
            }
            return total;
        });
    }

    Path path(final String sha256) {
        return dir.resolve(sha256);
    }

    /**
     * A payload read whole, checked before it is returned: its file exists, has the length its
     * ITEM record gives and the SHA-256 that names it.
     *
     * @throws CorruptStoreException naming the blob file if any of that fails
     */
    byte[] read(final String sha256, final long expectedLength) {
        final Path p = path(sha256);
        try {
            if (expectedLength > Integer.MAX_VALUE - 16) {
                throw new StoreAccessException("payload " + p + " is " + expectedLength
                    + " bytes, too large for a byte array; use openPayload instead");
            }
            checkPresent(p);
            final long size = fs.size(p);
            if (size != expectedLength) {
                throw new CorruptStoreException("payload " + p + " is " + size + " bytes, its item record says "
                    + expectedLength);
            }
            final byte[] bytes = fs.readAllBytes(p);
            if (bytes.length != expectedLength) {
                throw new CorruptStoreException("payload " + p + " changed while being read");
            }
            final String actual = HexFormat.of().formatHex(digest().digest(bytes));
            if (!actual.equals(sha256)) {
                throw new CorruptStoreException("payload " + p + " is damaged: its " + expectedLength
                    + " bytes have SHA-256 " + actual + ", not the " + sha256 + " that names it");
            }
            return bytes;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read payload " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * A payload as a stream, checked as it is read ({@link VerifyingPayloadStream}: a reader that
     * reads to the end gets the stored bytes or a {@link CorruptStoreException}; one that stops
     * early is not told). The caller closes it.
     */
    InputStream open(final String sha256, final long expectedLength) {
        final Path p = path(sha256);
        checkPresent(p);
        try {
            return new VerifyingPayloadStream(fs.newInputStream(p), p, sha256, expectedLength);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read payload " + p + ": " + e.getMessage(), e);
        }
    }

    private void checkPresent(final Path p) {
        if (!fs.isRegularFile(p)) {
            throw new CorruptStoreException("payload " + p + " is missing (its item record names it)");
        }
    }

    private interface ChannelWriter {
        /** Writes the payload, feeding every byte to {@code md}; returns its length. */
        long writeTo(FileChannel ch, MessageDigest md) throws IOException;
    }

    private Stored write(final ChannelWriter writer) {
        try {
            fs.createDirectories(dir);
            final Path tmp = dir.resolve(StoreLayout.BLOB_TMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                final MessageDigest md = digest();
                final long length;
                try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    length = writer.writeTo(ch, md);
                    ch.force(true);
                }
                final String hash = HexFormat.of().formatHex(md.digest());
                final Path target = path(hash);
                if (fs.exists(target)) {
                    fs.deleteIfExists(tmp);
                } else {
                    fs.moveAtomically(tmp, target);
                    // the ITEM record that names it comes next: make the name durable first
                    fs.forceDirectory(dir);
                }
                return new Stored(hash, length);
            } catch (final IOException | RuntimeException e) {
                fs.deleteIfExists(tmp);
                throw e;
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write payload into " + dir + ": " + e.getMessage(), e);
        }
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
