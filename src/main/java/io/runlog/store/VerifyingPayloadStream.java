package io.runlog.store;

import io.runlog.CorruptStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A payload read as a stream and checked against the SHA-256 that names it and the length its
 * ITEM record gives, as it is read: every byte handed out also goes into the digest, and the
 * digest is compared when the stream reaches the end of the file.
 *
 * <p><b>Guarantees.</b> A reader that reads to the end (until {@code read} returns -1) has been
 * given exactly the bytes that were stored, or gets a {@link CorruptStoreException} naming the blob
 * file and what failed, in place of the -1: a digest that differs, a file shorter than its record
 * says (at the offset where it ends), or longer (at the record's length, before any byte past it is
 * handed out). <b>A reader that stops early is not told</b>: the bytes it was given may be damaged,
 * since the digest covers the whole file. {@code skip} reads the skipped bytes so the digest still
 * sees them.
 *
 * <p>Not thread-safe (one reader, like any stream). Owns the underlying stream and closes it.
 */
final class VerifyingPayloadStream extends InputStream {
    private final InputStream in;
    private final Path file;
    private final String sha256;
    private final long length;
    private final MessageDigest digest;
    private long position;
    private boolean verified;

    VerifyingPayloadStream(final InputStream in, final Path file, final String sha256, final long length) {
        this.in = in;
        this.file = file;
        this.sha256 = sha256;
        this.length = length;
        this.digest = BlobStore.digest();
    }

    @Override
    public int read() throws IOException {
        final byte[] one = new byte[1];
        final int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == length) {
            return atEnd();
        }
        final int n = in.read(b, off, (int) Math.min(len, length - position));
        if (n < 0) {
            throw new CorruptStoreException("payload " + file + " ends at offset " + position
                + ", its item record says " + length + " bytes");
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }

    /** At the record's length: nothing may follow, and the digest must name the file. */
    private int atEnd() throws IOException {
        if (!verified) {
            if (in.read() >= 0) {
                throw new CorruptStoreException("payload " + file + " goes on past offset " + length
                    + ", its item record says " + length + " bytes");
            }
            final String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new CorruptStoreException("payload " + file + " is damaged: its " + length
                    + " bytes have SHA-256 " + actual + ", not the " + sha256 + " that names it");
            }
            verified = true;
        }
        return -1;
    }

    @Override
    public long skip(final long n) throws IOException {
        final byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            final int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), length - position);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
