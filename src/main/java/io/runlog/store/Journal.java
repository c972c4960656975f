package io.runlog.store;

import io.runlog.ReadOnlyStoreException;
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
 * <p><b>Read-only</b> ({@link #openReadOnly}): a Chronicle queue opened {@code readOnly(true)}
 * (files mapped read-only, no appender, no write lock, no index written, {@code metadata.cq4t} only
 * read), with a second tailer for random access so that {@link #next()} can go on from where it
 * stopped and see what another process appended since. Until the journal's metadata file
 * exists (an experiment its writer has not opened yet) it reads as empty; every {@link #next()}
 * looks again.
 *
 * <p>Sizing: a small block size (default 1 MiB) keeps a tiny experiment at two sparse files of
 * about 1.3 MiB and 128 KiB apparent size and a few KiB on disk; the daily roll cycle (FAST_DAILY; WEEKLY does not read back in Chronicle 2026.4) keeps the
 * file count low for long runs; the maximum record is a quarter block (Chronicle's limit).
 */
final class Journal implements AutoCloseable {
    private final Path dir;
    private final FileSystemFacade fs;
    private final long blockSize;
    private final boolean readOnly;
    /** Null only while a read-only journal's files do not exist yet. */
    private SingleChronicleQueue queue;
    /** Null when read-only. */
    private ExcerptAppender appender;
    /** Sequential reads ({@link #next()}). */
    private ExcerptTailer tailer;
    /** Random access ({@link #at}): the same tailer when writable, a second one when read-only. */
    private ExcerptTailer seeker;
    private final RecordDecoder decoder = new RecordDecoder();
    private final int maxRecordLength;
    private boolean closed;

    private Journal(final Path dir, final FileSystemFacade fs, final long blockSize, final boolean readOnly) {
        this.dir = dir;
        this.fs = fs;
        this.blockSize = blockSize;
        this.readOnly = readOnly;
        this.maxRecordLength = (int) Math.min(Integer.MAX_VALUE, blockSize / 4 - 64);
    }

    private void attach(final SingleChronicleQueue q) {
        q.singleThreadedCheckDisabled(true);
        this.queue = q;
        if (!readOnly) {
            this.appender = q.createAppender();
            this.appender.singleThreadedCheckDisabled(true);
        }
        this.tailer = q.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
        if (readOnly) {
            this.seeker = q.createTailer();
            this.seeker.singleThreadedCheckDisabled(true);
        } else {
            this.seeker = tailer;
        }
    }

    /** Opens a journal whose syncs go through the default file system (tests of the journal alone). */
    static Journal open(final Path dir, final long blockSize) {
        return open(dir, blockSize, FileSystemFacade.DEFAULT);
    }

    static Journal open(final Path dir, final long blockSize, final FileSystemFacade fs) {
        final Journal journal = new Journal(dir, fs, blockSize, false);
        journal.attach(build(dir, blockSize, false));
        return journal;
    }

    /**
     * Opens a journal for reading only: nothing is created, written or locked, and another
     * process may append to it meanwhile. A journal whose files do not exist yet reads as empty.
     */
    static Journal openReadOnly(final Path dir, final long blockSize, final FileSystemFacade fs) {
        final Journal journal = new Journal(dir, fs, blockSize, true);
        journal.attachIfPresent();
        return journal;
    }

    /** Read-only: opens the queue once its metadata file exists; true if it is open. */
    private boolean attachIfPresent() {
        if (queue == null && !closed && fs.isRegularFile(dir.resolve(StoreLayout.JOURNAL_METADATA_FILE))) {
            attach(build(dir, blockSize, true));
        }
        return queue != null;
    }

    private static SingleChronicleQueue build(final Path dir, final long blockSize, final boolean readOnly) {
        try {
            return SingleChronicleQueueBuilder.single(dir.toFile())
                .blockSize(blockSize)
                .rollCycle(RollCycles.FAST_DAILY)
                .timeoutMS(2_000)
                .syncMode(SyncMode.NONE)
                .readOnly(readOnly)
                .build();
        } catch (final RuntimeException e) {
            throw new StoreAccessException("cannot open journal " + dir + (readOnly ? " read-only" : "") + ": "
                + e.getMessage(), e);
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new ReadOnlyStoreException("journal " + dir + " is open read-only");
        }
    }

    boolean isReadOnly() {
        return readOnly;
    }

    Path dir() {
        return dir;
    }

    int maxRecordLength() {
        return maxRecordLength;
    }

    /** Appends an encoded record; returns its journal index. */
    long append(final RecordEncoder encoder) {
        checkWritable();
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(encoder.buffer().byteArray(), 0, encoder.length());
        }
        return appender.lastIndexAppended();
    }

    /** Opens a document for a record written in place (point batches); closing it publishes it. */
    DocumentContext beginInPlace() {
        checkWritable();
        return appender.writingDocument();
    }

    long lastIndexAppended() {
        return appender.lastIndexAppended();
    }

    /** Positions the tailer at the start; {@link #next()} then reads records in order. */
    void rewind() {
        if (attachIfPresent()) {
            tailer.toStart();
        }
    }

    /**
     * Reads the next record, or returns null at the end. The returned document must be closed
     * before the next call; {@link #decoder()} is wrapped around it.
     */
    DocumentContext next() {
        if (readOnly && !attachIfPresent()) {
            return null;
        }
        return read(tailer);
    }

    private DocumentContext read(final ExcerptTailer from) {
        final DocumentContext dc = from.readingDocument();
        if (!dc.isPresent()) {
            dc.close();
            return null;
        }
        decoder.wrap(dc.wire().bytes(), dc.index(), dir.toString());
        return dc;
    }

    /** Reads the record at {@code index}; same contract as {@link #next()}. */
    DocumentContext at(final long index) {
        if (seeker == null || seeker.index() != index && !seeker.moveToIndex(index)) {
            throw decoder.corrupt("indexed record is missing", 0);
        }
        return read(seeker);
    }

    RecordDecoder decoder() {
        return decoder;
    }

    /** Forces every journal file to the device (fsync also writes back pages dirtied by mmap). */
    void force() {
        checkWritable();
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
        if (queue == null) {
            return;
        }
        tailer.close();
        if (seeker != tailer) {
            seeker.close();
        }
        if (appender != null) {
            appender.close();
        }
        queue.close();
        // Chronicle releases mappings on a background thread; finish that now so that closing
        // really releases every descriptor and mapping before returning.
        BackgroundResourceReleaser.releasePendingResources();
    }
}
