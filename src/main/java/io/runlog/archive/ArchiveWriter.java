package io.runlog.archive;

import io.runlog.StoreAccessException;
import io.runlog.internal.IoErrors;
import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;

import static io.runlog.archive.ArchiveLayout.*;

/**
 * Internal: writes an archive's file header, blocks (each with its CRC32C), footer and trailer
 * to a file, and keeps the block index and totals for the footer. Not thread-safe.
 */
final class ArchiveWriter implements AutoCloseable {
    private final WritableByteChannel channel;
    /** For messages: the file, or a description of the stream. */
    private final String file;
    private final int minor;
    private final CRC32C crc = new CRC32C();
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    private final byte[] fileHeader = new byte[FileHeaderDescriptor.LENGTH];
    private final byte[] blockHeader = new byte[BlockHeaderDescriptor.LENGTH];
    private final byte[] blockCrc = new byte[BlockHeaderDescriptor.CRC_LENGTH];
    private final byte[] trailer = new byte[TrailerDescriptor.LENGTH];
    private final ByteSink deflated = new ByteSink(1 << 16);
    private final ByteSink index = new ByteSink(1 << 12);
    private final byte[] deflateBuffer = new byte[1 << 16];
    private long offset;
    private int blocks;

    /** False for a FIFO or device: nothing to force, and {@link #close()} leaves the channel to its owner. */
    private final boolean regular;
    private final boolean owned;

    private ArchiveWriter(final WritableByteChannel channel, final String file, final boolean regular, final boolean owned,
                          final int minor) {
        this.channel = channel;
        this.file = file;
        this.minor = minor;
        this.regular = regular;
        this.owned = owned;
    }

    static ArchiveWriter create(final FileSystemFacade fs, final Path file) {
        try {
            final FileChannel ch = fs.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            final ArchiveWriter w = new ArchiveWriter(ch, file.toString(), true, true, VERSION_MINOR);
            w.writeFileHeader();
            return w;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create archive " + file + ": " + IoErrors.describe(e, file), e);
        }
    }

    /**
     * A writer over a channel someone else opened and closes ({@code OutputFile}): positioned at
     * 0; {@code regular} false for a FIFO or device (never forced).
     */
    static ArchiveWriter over(final FileChannel channel, final Path file, final boolean regular) {
        return over(channel, file.toString(), regular, VERSION_MINOR);
    }

    /**
     * A writer of minor version {@code minor} over any channel someone else owns; forced at the
     * end only if it is a {@link FileChannel} and {@code regular}.
     */
    static ArchiveWriter over(final WritableByteChannel channel, final String name, final boolean regular, final int minor) {
        final ArchiveWriter w = new ArchiveWriter(channel, name, regular, false, minor);
        w.writeFileHeader();
        return w;
    }

    private void writeFileHeader() {
        final byte[] h = fileHeader;
        System.arraycopy(MAGIC, 0, h, FileHeaderDescriptor.MAGIC_OFFSET, MAGIC.length);
        ByteSink.SHORT_LE.set(h, FileHeaderDescriptor.MAJOR_OFFSET, (short) VERSION_MAJOR);
        ByteSink.SHORT_LE.set(h, FileHeaderDescriptor.MINOR_OFFSET, (short) minor);
        crc.reset();
        crc.update(h, 0, FileHeaderDescriptor.CRC_OFFSET);
        ByteSink.INT_LE.set(h, FileHeaderDescriptor.CRC_OFFSET, (int) crc.getValue());
        write(h, 0, FileHeaderDescriptor.LENGTH);
    }

    /** Bytes written so far. */
    long offset() {
        return offset;
    }

    /** Writes one block; text-like payloads are Deflate-compressed when {@code deflate}. */
    void block(final BlockType type, final ByteSink payload, final boolean deflate) {
        byte[] body = payload.array();
        int length = payload.size();
        int flags = 0;
        if (deflate && length > 0) {
            deflated.reset();
            deflated.varint(length);
            deflater.reset();
            deflater.setInput(body, 0, length);
            deflater.finish();
            while (!deflater.finished()) {
                final int n = deflater.deflate(deflateBuffer);
                deflated.bytes(deflateBuffer, 0, n);
            }
            if (deflated.size() < length) {
                body = deflated.array();
                length = deflated.size();
                flags = FLAG_DEFLATED;
            }
        }
        if (length > MAX_BLOCK_PAYLOAD) {
            throw new IllegalStateException("archive block of " + length + " bytes exceeds " + MAX_BLOCK_PAYLOAD);
        }
        final byte[] h = blockHeader;
        ByteSink.INT_LE.set(h, BlockHeaderDescriptor.PAYLOAD_LENGTH_OFFSET, length);
        h[BlockHeaderDescriptor.TYPE_OFFSET] = (byte) type.code;
        h[BlockHeaderDescriptor.FLAGS_OFFSET] = (byte) flags;
        ByteSink.SHORT_LE.set(h, BlockHeaderDescriptor.RESERVED_OFFSET, (short) 0);
        crc.reset();
        crc.update(h, 0, BlockHeaderDescriptor.LENGTH);
        crc.update(body, 0, length);
        final int checksum = (int) crc.getValue();
        FooterDescriptor.indexEntry(index, offset, type.code, length, checksum);
        blocks++;
        write(h, 0, BlockHeaderDescriptor.LENGTH);
        write(body, 0, length);
        ByteSink.INT_LE.set(blockCrc, 0, checksum);
        write(blockCrc, 0, BlockHeaderDescriptor.CRC_LENGTH);
    }

    /** Writes the footer (block index, then {@code totals}) and the trailer, then forces the file to the device. */
    void finish(final ByteSink totals) {
        final long footerOffset = offset;
        final ByteSink footer = new ByteSink(index.size() + totals.size() + 16);
        footer.varint(blocks);
        footer.bytes(index.array(), 0, index.size());
        footer.bytes(totals.array(), 0, totals.size());
        block(BlockType.FOOTER, footer, false);
        final byte[] t = trailer;
        ByteSink.LONG_LE.set(t, TrailerDescriptor.FOOTER_OFFSET_OFFSET, footerOffset);
        crc.reset();
        crc.update(t, 0, TrailerDescriptor.CRC_OFFSET);
        ByteSink.INT_LE.set(t, TrailerDescriptor.CRC_OFFSET, (int) crc.getValue());
        System.arraycopy(TRAILER_MAGIC, 0, t, TrailerDescriptor.MAGIC_OFFSET, TRAILER_MAGIC.length);
        write(t, 0, TrailerDescriptor.LENGTH);
        if (!regular || !(channel instanceof FileChannel fc)) {
            return;
        }
        try {
            fc.force(true);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot sync archive " + file + ": " + IoErrors.describe(e, file), e);
        }
    }

    private void write(final byte[] b, final int off, final int len) {
        final ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write archive " + file + ": " + IoErrors.describe(e, file), e);
        }
        offset += len;
    }

    @Override
    public void close() {
        deflater.end();
        if (!owned) {
            return;
        }
        try {
            channel.close();
        } catch (final IOException e) {
            throw new StoreAccessException("cannot close archive " + file + ": " + IoErrors.describe(e, file), e);
        }
    }
}
