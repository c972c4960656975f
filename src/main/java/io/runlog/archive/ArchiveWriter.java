package io.runlog.archive;

import io.runlog.StoreAccessException;
import io.runlog.internal.IoErrors;
import io.runlog.store.FileSystemFacade;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
    private final FileChannel channel;
    private final Path file;
    private final CRC32C crc = new CRC32C();
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    private final ByteSink header = new ByteSink(16);
    private final ByteSink deflated = new ByteSink(1 << 16);
    private final ByteSink index = new ByteSink(1 << 12);
    private final byte[] deflateBuffer = new byte[1 << 16];
    private long offset;
    private int blocks;

    /** False for a FIFO or device: nothing to force, and {@link #close()} leaves the channel to its owner. */
    private final boolean regular;
    private final boolean owned;

    private ArchiveWriter(final FileChannel channel, final Path file, final boolean regular, final boolean owned) {
        this.channel = channel;
        this.file = file;
        this.regular = regular;
        this.owned = owned;
    }

    static ArchiveWriter create(final FileSystemFacade fs, final Path file) {
        try {
            final FileChannel ch = fs.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            final ArchiveWriter w = new ArchiveWriter(ch, file, true, true);
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
        final ArchiveWriter w = new ArchiveWriter(channel, file, regular, false);
        w.writeFileHeader();
        return w;
    }

    private void writeFileHeader() {
        header.reset();
        header.bytes(MAGIC, 0, MAGIC.length);
        header.u8(VERSION_MAJOR);
        header.u8(VERSION_MAJOR >>> 8);
        header.u8(VERSION_MINOR);
        header.u8(VERSION_MINOR >>> 8);
        crc.reset();
        crc.update(header.array(), 0, 12);
        header.u32((int) crc.getValue());
        write(header.array(), 0, header.size());
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
        header.reset();
        header.u32(length);
        header.u8(type.code);
        header.u8(flags);
        header.u8(0);
        header.u8(0);
        crc.reset();
        crc.update(header.array(), 0, BLOCK_HEADER_LENGTH);
        crc.update(body, 0, length);
        final int checksum = (int) crc.getValue();
        index.varint(offset);
        index.u8(type.code);
        index.varint(length);
        index.u32(checksum);
        blocks++;
        write(header.array(), 0, BLOCK_HEADER_LENGTH);
        write(body, 0, length);
        header.reset();
        header.u32(checksum);
        write(header.array(), 0, BLOCK_CRC_LENGTH);
    }

    /** Writes the footer (block index, then {@code totals}) and the trailer, then forces the file to the device. */
    void finish(final ByteSink totals) {
        final long footerOffset = offset;
        final ByteSink footer = new ByteSink(index.size() + totals.size() + 16);
        footer.varint(blocks);
        footer.bytes(index.array(), 0, index.size());
        footer.bytes(totals.array(), 0, totals.size());
        block(BlockType.FOOTER, footer, false);
        header.reset();
        header.u64(footerOffset);
        crc.reset();
        crc.update(header.array(), 0, 8);
        header.u32((int) crc.getValue());
        header.bytes(TRAILER_MAGIC, 0, TRAILER_MAGIC.length);
        write(header.array(), 0, TRAILER_LENGTH);
        if (!regular) {
            return;
        }
        try {
            channel.force(true);
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
