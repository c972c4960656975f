package io.runlog.store;

import io.runlog.StoreAccessException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An experiment's append-only journal: one Chronicle Queue directory, one record per document
 * ({@link JournalLayout}). Owns exactly one appender and one tailer.
 *
 * <p>Not thread-safe: every call is made under the owning experiment's lock. Chronicle's own
 * single-thread checks are disabled because that lock, not thread identity, serialises access.
 *
 * <p>Sizing: a small block size (default 1 MiB) keeps a tiny experiment at two sparse files of
 * about 1.3 MiB and 128 KiB apparent size and a few KiB on disk; the daily roll cycle (FAST_DAILY; WEEKLY does not read back in Chronicle 2026.4) keeps the
 * file count low for long runs; the maximum record is a quarter block (Chronicle's limit).
 */
final class Journal implements AutoCloseable {
    private final Path dir;
    private final FileSystemFacade fs;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;
    private final RecordDecoder decoder = new RecordDecoder();
    private final int maxRecordLength;
    private boolean closed;

    private Journal(final Path dir, final FileSystemFacade fs, final SingleChronicleQueue queue, final int maxRecordLength) {
        this.dir = dir;
        this.fs = fs;
        this.queue = queue;
        this.maxRecordLength = maxRecordLength;
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
    }

    /** Opens a journal whose syncs go through the default file system (tests of the journal alone). */
    static Journal open(final Path dir, final long blockSize) {
        return open(dir, blockSize, FileSystemFacade.DEFAULT);
    }

    static Journal open(final Path dir, final long blockSize, final FileSystemFacade fs) {
        try {
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .blockSize(blockSize)
                .rollCycle(RollCycles.FAST_DAILY)
                .timeoutMS(2_000)
                .syncMode(SyncMode.NONE)
                .build();
            queue.singleThreadedCheckDisabled(true);
            return new Journal(dir, fs, queue, (int) Math.min(Integer.MAX_VALUE, blockSize / 4 - 64));
        } catch (final RuntimeException e) {
            throw new StoreAccessException("cannot open journal " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    int maxRecordLength() {
        return maxRecordLength;
    }

    /** Appends an encoded record; returns its journal index. */
    long append(final RecordEncoder encoder) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(encoder.buffer().byteArray(), 0, encoder.length());
        }
        return appender.lastIndexAppended();
    }

    /** Appends a record's bytes as they are (salvage copies records this way); returns its journal index. */
    long appendRaw(final byte[] record) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record, 0, record.length);
        }
        return appender.lastIndexAppended();
    }

    /** The bytes of the document {@link #next()} or {@link #at} returned, before it is closed. */
    static byte[] rawBytes(final DocumentContext dc) {
        final Bytes<?> b = dc.wire().bytes();
        final byte[] raw = new byte[(int) b.readRemaining()];
        b.read(b.readPosition(), raw, 0, raw.length);
        return raw;
    }

    /** Opens a document for a record written in place (point batches); closing it publishes it. */
    DocumentContext beginInPlace() {
        return appender.writingDocument();
    }

    long lastIndexAppended() {
        return appender.lastIndexAppended();
    }

    /** Positions the tailer at the start; {@link #next()} then reads records in order. */
    void rewind() {
        tailer.toStart();
    }

    /**
     * Reads the next record, or returns null at the end. The returned document must be closed
     * before the next call; {@link #decoder()} is wrapped around it.
     */
    DocumentContext next() {
        final DocumentContext dc = tailer.readingDocument();
        if (!dc.isPresent()) {
            dc.close();
            return null;
        }
        decoder.wrap(dc.wire().bytes(), dc.index(), dir.toString());
        return dc;
    }

    /** Reads the record at {@code index}; same contract as {@link #next()}. */
    DocumentContext at(final long index) {
        if (tailer.index() != index && !tailer.moveToIndex(index)) {
            throw decoder.corrupt("indexed record is missing", 0);
        }
        return next();
    }

    RecordDecoder decoder() {
        return decoder;
    }

    /** Forces every journal file to the device (fsync also writes back pages dirtied by mmap). */
    void force() {
        try {
            for (final Path f : fs.list(dir)) {
                if (fs.isRegularFile(f)) {
                    try (FileChannel ch = fs.open(f, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            // a cycle file created since the last sync must be findable after an OS crash too
            fs.forceDirectory(dir);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot sync journal " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tailer.close();
        appender.close();
        queue.close();
        // Chronicle releases mappings on a background thread; finish that now so that closing
        // really releases every descriptor and mapping before returning.
        BackgroundResourceReleaser.releasePendingResources();
    }
}
