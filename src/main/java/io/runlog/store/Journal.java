package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.ReadOnlyStoreException;
import io.runlog.StoreAccessException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.UnsafeApi;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    private final RecordChecksum checksum = new RecordChecksum();
    /** A record's cycle file, for messages. */
    private final java.util.function.LongFunction<String> describe = this::cycleFileOf;
    private final int maxRecordLength;
    /**
     * Journal index of the first record seen with a CRC32C trailer (format 5 or later), read or
     * appended; {@link Long#MAX_VALUE} while none. A build never appends an older version than the
     * records it found, so a record at or after this index without a trailer is damage (its
     * version byte changed).
     */
    private long checksummedFrom = Long.MAX_VALUE;
    /**
     * Records per cycle file, in increasing cycle order: those the open-time scan read
     * ({@link #countScanned}) and those appended since. Primitive arrays, so an append allocates
     * nothing; a new entry only when the journal rolls to a new cycle.
     */
    private int[] cycles = new int[4];
    private long[] cycleRecords = new long[4];
    private int cycleEntries;
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
        try {
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
        } catch (final Exception | AssertionError e) {
            // Chronicle throws checked exceptions undeclared here (StreamCorruptedException for a
            // cycle file that is not one of its files): a typed error naming the journal instead
            this.queue = null;
            this.appender = null;
            this.tailer = null;
            this.seeker = null;
            q.close();
            if (e instanceof java.io.StreamCorruptedException) {
                throw new CorruptStoreException("journal " + dir + ": a cycle file is not a Chronicle Queue file, or its"
                    + " header is damaged (" + e.getMessage() + ")", e);
            }
            if (e instanceof IOException failure) {
                throw new StoreAccessException("cannot open journal " + dir + ": " + io.runlog.internal.IoErrors.describe(failure, dir), e);
            }
            if (e instanceof RuntimeException r && r instanceof io.runlog.RunlogException) {
                throw r;
            }
            throw new StoreAccessException("cannot open journal " + dir + ": " + e, e);
        }
    }

    /** Opens a journal whose syncs go through the default file system (tests of the journal alone). */
    static Journal open(final Path dir, final long blockSize) {
        return open(dir, blockSize, FileSystemFacade.DEFAULT);
    }

    /**
     * Opens the journal in {@code dir} for writing, first deleting Chronicle's {@code metadata.cq4t}:
     * it holds nothing the cycle files do not (Chronicle's locks, which the store's own lock makes
     * moot, the directory listing's cycle range, replication indices), and Chronicle rebuilds it
     * from the directory, so a damaged one (its lock bytes overwritten, say: "locked: unable to
     * append") can neither refuse the journal nor mislead it. The caller holds the store lock, so
     * no other process writes the queue.
     */
    static Journal open(final Path dir, final long blockSize, final FileSystemFacade fs) {
        try {
            fs.deleteIfExists(dir.resolve(StoreLayout.JOURNAL_METADATA_FILE));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot rebuild journal metadata " + dir.resolve(StoreLayout.JOURNAL_METADATA_FILE)
                + ": " + e.getMessage(), e);
        }
        final Journal journal = new Journal(dir, fs, blockSize, false);
        journal.attach(build(dir, blockSize, false));
        return journal;
    }

    /**
     * Opens a journal for reading only: nothing is created, written, deleted or locked, and another
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
        } catch (final RuntimeException | AssertionError e) { // Chronicle asserts on some damaged cycle files
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

    /**
     * Appends an encoded record, with its CRC32C trailer if its version byte is 5 or more (every
     * record this build encodes; tests append older records as they are); returns its journal index.
     */
    long append(final RecordEncoder encoder) {
        checkWritable();
        final byte[] bytes = encoder.buffer().byteArray();
        final int length = encoder.length();
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> out = dc.wire().bytes();
            out.write(bytes, 0, length);
            if (length > RecordHeaderDescriptor.VERSION_OFFSET
                && RecordTrailerDescriptor.present(bytes[RecordHeaderDescriptor.VERSION_OFFSET] & 0xff)) {
                out.writeInt(checksum.of(sequence(dc.index()), bytes, length));
            }
        }
        return appended(appender.lastIndexAppended());
    }

    /** Appends a record's bytes exactly as they are, trailer or not (tests write damaged records this way). */
    long appendRaw(final byte[] record) {
        checkWritable();
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record, 0, record.length);
        }
        return appender.lastIndexAppended();
    }

    /**
     * Appends a copy of a record read from another journal ({@link Salvage}): its bytes as they
     * are, less the old CRC32C trailer (which covered its old sequence number), with a new trailer
     * for its place here. Records of formats without a trailer are copied as they are.
     */
    long appendCopy(final byte[] raw) {
        checkWritable();
        final boolean trailer = raw.length > RecordHeaderDescriptor.VERSION_OFFSET
            && RecordTrailerDescriptor.present(raw[RecordHeaderDescriptor.VERSION_OFFSET] & 0xff);
        final int length = trailer ? raw.length - RecordTrailerDescriptor.LENGTH : raw.length;
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> out = dc.wire().bytes();
            out.write(raw, 0, length);
            if (trailer) {
                out.writeInt(checksum.of(sequence(dc.index()), raw, length));
            }
        }
        return appended(appender.lastIndexAppended());
    }

    /** The bytes of the document {@link #next()} or {@link #at} returned (trailer included), before it is closed. */
    static byte[] rawBytes(final DocumentContext dc) {
        final Bytes<?> b = dc.wire().bytes();
        final byte[] raw = new byte[(int) (b.readLimit() - b.readPosition())];
        b.read(b.readPosition(), raw, 0, raw.length);
        return raw;
    }

    /**
     * Opens a document for a record written in place (point batches): the writer writes
     * {@code length} bytes at the address of the document's start, then calls {@link #seal};
     * closing the document publishes it.
     */
    DocumentContext beginInPlace() {
        checkWritable();
        return appender.writingDocument();
    }

    /**
     * The one place an in-place record gets its trailer: writes the CRC32C of the {@code length}
     * bytes at {@code address} (the record written into {@code dc}, which left room for the
     * {@link RecordTrailerDescriptor#LENGTH} bytes after them) right after them.
     */
    void seal(final DocumentContext dc, final long address, final int length) {
        UnsafeApi.putInt(address + length, checksum.of(sequence(dc.index()), address, length));
    }

    /** After an in-place record was published (call once per record): its journal index. */
    long lastIndexAppended() {
        return appended(appender.lastIndexAppended());
    }

    /** The index of the journal's last document as Chronicle sees it, without reading it; -1 if none. */
    long lastIndex() {
        return queue == null ? -1 : queue.lastIndex();
    }

    private long appended(final long index) {
        if (index < checksummedFrom) {
            checksummedFrom = index;
        }
        count(index);
        return index;
    }

    /** The open-time scan read the record at {@code index}: counts it for the manifest. */
    void countScanned(final long index) {
        count(index);
    }

    private void count(final long index) {
        final int cycle = queue.rollCycle().toCycle(index);
        final int n = cycleEntries;
        if (n > 0 && cycles[n - 1] == cycle) {
            cycleRecords[n - 1]++;
            return;
        }
        for (int i = 0; i < n; i++) { // not reached in order; kept exact all the same
            if (cycles[i] == cycle) {
                cycleRecords[i]++;
                return;
            }
        }
        if (n == cycles.length) {
            cycles = java.util.Arrays.copyOf(cycles, 2 * n);
            cycleRecords = java.util.Arrays.copyOf(cycleRecords, 2 * n);
        }
        int at = n;
        while (at > 0 && cycles[at - 1] > cycle) {
            cycles[at] = cycles[at - 1];
            cycleRecords[at] = cycleRecords[at - 1];
            at--;
        }
        cycles[at] = cycle;
        cycleRecords[at] = 1;
        cycleEntries = n + 1;
    }

    /** Number of cycle files holding records counted so far (scanned or appended). */
    int cycleEntries() {
        return cycleEntries;
    }

    /** The cycle of entry {@code i} (increasing with {@code i}). */
    int cycle(final int i) {
        return cycles[i];
    }

    /** Records counted in the cycle of entry {@code i}. */
    long cycleRecords(final int i) {
        return cycleRecords[i];
    }

    /** Records counted in {@code cycle}; 0 if none. */
    long recordsIn(final int cycle) {
        for (int i = 0; i < cycleEntries; i++) {
            if (cycles[i] == cycle) {
                return cycleRecords[i];
            }
        }
        return 0;
    }

    private String cycleFileOf(final long index) {
        return cycleFile(rollCycle().toCycle(index)).toString();
    }

    /** The journal index of record {@code sequence} of {@code cycle}. */
    long index(final int cycle, final long sequence) {
        return rollCycle().toIndex(cycle, sequence);
    }

    private RollCycle rollCycle() {
        return queue == null ? RollCycles.FAST_DAILY : queue.rollCycle();
    }

    /** The cycle file of {@code cycle}, as Chronicle names it ({@code yyyyMMdd'F'.cq4} for daily cycles, UTC). */
    Path cycleFile(final int cycle) {
        final RollCycle rc = rollCycle();
        final long epoch = queue == null ? 0 : queue.epoch();
        final String name = DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(epoch + (long) cycle * rc.lengthInMillis()));
        return dir.resolve(name + SingleChronicleQueue.SUFFIX);
    }

    private long sequence(final long index) {
        return queue.rollCycle().toSequenceNumber(index);
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

    /**
     * Reads the next document of {@code from} and checks it ({@link RecordDecoder#check}: header,
     * and from format 5 the CRC32C) before returning it; Chronicle's own read failures are typed.
     */
    private DocumentContext read(final ExcerptTailer from) {
        final DocumentContext dc;
        try {
            dc = from.readingDocument();
        } catch (final RuntimeException | AssertionError e) { // Chronicle asserts on some damaged headers
            throw unreadable(from, e);
        }
        if (!dc.isPresent()) {
            dc.close();
            return null;
        }
        try {
            final long index = dc.index();
            decoder.wrap(dc.wire().bytes(), index, describe);
            if (decoder.check(checksum, sequence(index), index >= checksummedFrom) && index < checksummedFrom) {
                checksummedFrom = index;
            }
            return dc;
        } catch (final RuntimeException e) {
            dc.close();
            throw e instanceof io.runlog.RunlogException ? e : unreadable(from, e);
        }
    }

    /** Reads the record at {@code index}; same contract as {@link #next()}. */
    DocumentContext at(final long index) {
        final boolean found;
        try {
            found = seeker != null && (seeker.index() == index || seeker.moveToIndex(index));
        } catch (final RuntimeException | AssertionError e) {
            throw unreadable(seeker, e);
        }
        if (!found) {
            throw new CorruptStoreException("journal " + dir + " record at index " + Long.toHexString(index)
                + ": the record the catalog indexed is missing");
        }
        return read(seeker);
    }

    /** A failure of Chronicle's own reading (a damaged document header or index page), typed. */
    private CorruptStoreException unreadable(final ExcerptTailer from, final Throwable e) {
        long at;
        try {
            at = from.index();
        } catch (final RuntimeException ignored) {
            at = -1;
        }
        String file;
        try {
            file = at > 0 ? describe.apply(at) : dir.toString();
        } catch (final RuntimeException ignored) {
            file = dir.toString();
        }
        return new CorruptStoreException("journal cycle file " + file + " cannot be read near index " + Long.toHexString(at)
            + " (a damaged document header or index in its cycle file): " + e, e);
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
