package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;
import io.runlog.UnsupportedFormatVersionException;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.runlog.store.PointRingLayout.*;

/** Padding before the hot tail counter, so it never shares a cache line with other fields. */
abstract class PointRingLhsPadding {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
}

/** Written by every producer: the next position to claim. Negative once the ring is sealed. */
abstract class PointRingTail extends PointRingLhsPadding {
    volatile long tail;
    /** Producers' cached copy of {@code head}; a stale value only sends them to the slow path. */
    long headCache;
}

abstract class PointRingMidPadding extends PointRingTail {
    byte p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111, p112, p113, p114, p115;
    byte p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127, p128, p129, p130, p131;
    byte p132, p133, p134, p135, p136, p137, p138, p139, p140, p141, p142, p143, p144, p145, p146, p147;
    byte p148, p149, p150, p151, p152, p153, p154, p155, p156, p157, p158, p159, p160, p161, p162, p163;
}

/** Written only by the drainer: every position below {@code head} is in the journal. */
abstract class PointRingHead extends PointRingMidPadding {
    volatile long head;
}

abstract class PointRingRhsPadding extends PointRingHead {
    byte p200, p201, p202, p203, p204, p205, p206, p207, p208, p209, p210, p211, p212, p213, p214, p215;
    byte p216, p217, p218, p219, p220, p221, p222, p223, p224, p225, p226, p227, p228, p229, p230, p231;
    byte p232, p233, p234, p235, p236, p237, p238, p239, p240, p241, p242, p243, p244, p245, p246, p247;
    byte p248, p249, p250, p251, p252, p253, p254, p255, p256, p257, p258, p259, p260, p261, p262, p263;
}

/**
 * A many-to-one ring of metric points over a memory-mapped file ({@link PointRingLayout}).
 *
 * <p><b>Contract.</b> Any number of producer threads call {@link #tryClaim()} then, for every
 * position it returned, {@link #commit}: both are lock-free and allocation-free, and a committed
 * point is in the page cache, so it survives {@code kill -9} of the process. Exactly one consumer
 * at a time (the experiment's drain, serialised by the experiment lock) reads committed slots in
 * position order with {@link #committedRun} and frees them with {@link #advanceHead}.
 *
 * <p><b>Ordering.</b> A producer writes the slot's fields, then its check (format 2, see
 * {@link PointRingLayout#check}, stored XOR {@link PointRingLayout#FREE_WORD}) with release
 * semantics; the consumer reads that word with acquire semantics, then the fields, and sets it back
 * to {@code FREE_WORD} before it frees the slot ({@link #advanceHead}), so a word other than
 * {@code FREE_WORD} in a live ring is a committed slot. Positions are
 * handed out by CAS on {@code tail}, and only while {@code tail - head < capacity}, so a claimed
 * slot never overwrites an undrained one, and a producer that cannot claim has claimed nothing.
 * Producers read {@code head} with acquire semantics (also through their cached copy), so the
 * consumer's zeroing happens before a producer's next write to the slot.
 *
 * <p><b>Recovery.</b> A ring opened by {@link #openForRecovery} tells each slot's state from the
 * file alone ({@link #slotState}): format 2 by the check (damaged and torn slots are told apart
 * from committed ones), format 1 by its commit tag.
 *
 * <p><b>Lifecycle.</b> {@link #seal()} makes every later claim fail; the owner then waits until
 * every position below the sealed tail is committed, drains them, and calls {@link #unmapAndDelete}.
 * Because a producer touches the mapping only between a successful claim and its commit, no
 * producer can touch the mapping after that.
 */
public final class PointRing extends PointRingRhsPadding {
    /** {@link #tryClaim()}: the ring is sealed (closing). */
    public static final long CLOSED = -1;
    /** {@link #tryClaim()}: every slot holds an undrained point. */
    public static final long FULL = -2;

    /** {@link #slotState}: never written in this lap, or freed (or, format 1, not committed). */
    public static final int FREE = 0;
    /** {@link #slotState}: holds the position's committed point. */
    public static final int COMMITTED = 1;
    /** {@link #slotState}, format 2: holds the point one lap earlier, drained but not yet freed at the crash. */
    public static final int STALE = 2;
    /** {@link #slotState}, format 2: a word that is neither free nor a check of this lap or the one before: torn, zeroed or damaged. */
    public static final int DAMAGED = 3;

    private static final VarHandle TAIL;
    private static final VarHandle HEAD_CACHE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(PointRingTail.class, "tail", long.class);
            HEAD_CACHE = lookup.findVarHandle(PointRingTail.class, "headCache", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path file;
    private final FileSystemFacade fs;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    /** Address of slot 0: the hot path and the drain use raw addresses, checked by construction. */
    private final long slotsAddress;
    private final int capacity;
    private final long mask;
    private final int slotShift;
    /** The file's format version: {@link PointRingLayout#VERSION}, or 1 for an old ring being recovered. */
    private final int version;
    private boolean unmapped;

    private PointRing(final Path file, final FileSystemFacade fs, final MappedByteBuffer mapping, final int capacity,
                      final long startPosition, final int version) {
        this.file = file;
        this.version = version;
        this.fs = fs;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
        this.slotsAddress = buffer.addressOffset() + HEADER_LENGTH;
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.slotShift = Integer.numberOfTrailingZeros(capacity);
        this.head = startPosition;
        this.headCache = startPosition;
        this.tail = startPosition;
    }

    /**
     * Creates (or replaces) the ring file, pre-allocated on disk so that no later write through
     * the mapping can hit a full disk, and maps it with producers starting at {@code startPosition}.
     */
    public static PointRing create(final Path file, final FileSystemFacade fs, final DiskSpaceGuard guard,
                                   final int capacity, final long startPosition) {
        if (Integer.bitCount(capacity) != 1 || capacity < MIN_SLOTS || capacity > MAX_SLOTS) {
            throw new IllegalArgumentException("ring capacity must be a power of two in [" + MIN_SLOTS + ", "
                + MAX_SLOTS + "]: " + capacity);
        }
        final long length = fileLength(capacity);
        guard.reserveNow(length);
        try {
            final Path tmp = StoreLayout.ringTmpFile(file);
            try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // every slot free: FREE_WORD at each slot's word, zeros elsewhere (the header is written below)
                final ByteBuffer free = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                for (int at = CHECK_OFFSET; at < free.capacity(); at += SLOT_LENGTH) {
                    free.putInt(at, FREE_WORD);
                }
                ch.write(ByteBuffer.allocate(HEADER_LENGTH), 0);
                long written = HEADER_LENGTH;
                while (written < length) {
                    free.clear().limit((int) Math.min(free.capacity(), length - written));
                    written += ch.write(free, written);
                }
                final ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION)
                    .putInt(SLOT_COUNT_OFFSET, capacity).putInt(SLOT_LENGTH_OFFSET, SLOT_LENGTH);
                ch.write(header, 0);
                ch.force(true);
            }
            fs.moveAtomically(tmp, file);
            final PointRing ring = map(file, fs, capacity, startPosition, VERSION);
            ring.prefaultAndFree();
            return ring;
        } catch (final IOException e) {
            throw new StoreAccessException("cannot create point ring " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps an existing ring file left behind by a process that did not close it, to recover its
     * committed points. The header is validated; the producers' side stays sealed. Reads format
     * versions 1 and 2.
     */
    public static PointRing openForRecovery(final Path file, final FileSystemFacade fs) {
        final int version;
        try (FileChannel ch = fs.open(file, StandardOpenOption.READ)) {
            final long size = ch.size();
            if (size < HEADER_LENGTH) {
                throw new CorruptStoreException("point ring " + file + " is " + size + " bytes, shorter than its "
                    + HEADER_LENGTH + "-byte header");
            }
            final ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
                // read the whole header
            }
            if (header.getLong(MAGIC_OFFSET) != MAGIC) {
                throw new CorruptStoreException("point ring " + file + " has bad magic at offset 0");
            }
            version = header.getInt(VERSION_OFFSET);
            if (version > VERSION) {
                throw new UnsupportedFormatVersionException("point ring " + file + " has format version " + version
                    + ", this build reads up to " + VERSION);
            }
            if (version < VERSION_TAGGED) {
                throw new CorruptStoreException("point ring " + file + " has format version " + version
                    + " at offset " + VERSION_OFFSET + ", which no build wrote");
            }
            final int slots = header.getInt(SLOT_COUNT_OFFSET);
            if (Integer.bitCount(slots) != 1 || slots < MIN_SLOTS || slots > MAX_SLOTS
                || header.getInt(SLOT_LENGTH_OFFSET) != SLOT_LENGTH || size < fileLength(slots)) {
                throw new CorruptStoreException("point ring " + file + " has an inconsistent header: " + slots
                    + " slots of " + header.getInt(SLOT_LENGTH_OFFSET) + " bytes in " + size + " bytes");
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read point ring " + file + ": " + e.getMessage(), e);
        }
        final int slots = readSlotCount(file, fs);
        final PointRing ring = map(file, fs, slots, 0, version);
        ring.seal();
        return ring;
    }

    private static int readSlotCount(final Path file, final FileSystemFacade fs) {
        try (FileChannel ch = fs.open(file, StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SLOT_COUNT_OFFSET);
            return b.getInt(0);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read point ring " + file + ": " + e.getMessage(), e);
        }
    }

    private static PointRing map(final Path file, final FileSystemFacade fs, final int capacity,
                                 final long startPosition, final int version) {
        // The channel is closed right after mapping: the mapping stays valid and holds no descriptor.
        try (FileChannel ch = fs.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final MappedByteBuffer mapping = ch.map(FileChannel.MapMode.READ_WRITE, 0, fileLength(capacity));
            return new PointRing(file, fs, mapping, capacity, startPosition, version);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot map point ring " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the free word again into the first slot of every page through the mapping (the file
     * already holds it: written and forced through the channel, so a page an operating-system
     * crash did not write back reads as free slots, never as zeros), so that the producers' first
     * write to each page does not take a page fault on the hot path.
     */
    private void prefaultAndFree() {
        final int pageSize = 4096;
        for (int offset = HEADER_LENGTH; offset < buffer.capacity(); offset += pageSize) {
            buffer.putInt(offset + CHECK_OFFSET, FREE_WORD);
        }
    }

    public int capacity() {
        return capacity;
    }

    /** The file's format version (2 for every ring this build creates). */
    public int version() {
        return version;
    }

    /** The ring's file. */
    Path file() {
        return file;
    }

    /**
     * Claims the next position. Lock-free, allocation-free.
     *
     * @return the claimed position (must then be {@link #commit committed}), or {@link #CLOSED}
     *         or {@link #FULL}, in which case nothing was claimed
     */
    public long tryClaim() {
        final long capacity = this.capacity;
        long t;
        do {
            t = tail;
            if (t < 0) {
                return CLOSED;
            }
            if (t - (long) HEAD_CACHE.getAcquire(this) >= capacity) {
                final long h = head;
                HEAD_CACHE.setRelease(this, h);
                if (t - h >= capacity) {
                    return FULL;
                }
            }
        } while (!TAIL.compareAndSet(this, t, t + 1));
        return t;
    }

    /**
     * Writes a claimed position's point and publishes it with its check. Allocation-free; never
     * blocks. Raw stores: the address is the mapping's slot for {@code position & mask}, always
     * inside it.
     */
    public void commit(final long position, final int metricId, final long step, final long timestamp,
                       final long valueBits) {
        commit(position, metricId, step, timestamp, valueBits, PointRingLayout.fieldsHash(metricId, step, timestamp, valueBits));
    }

    /**
     * {@link #commit(long, int, long, long, long)} with the fields' hash computed by the caller
     * before it claimed the position ({@link PointRingLayout#fieldsHash}), so that only a
     * multiplication and an XOR remain between the claim and the stores.
     */
    public void commit(final long position, final int metricId, final long step, final long timestamp,
                       final long valueBits, final int fieldsHash) {
        final int word = PointRingLayout.check(fieldsHash, position) ^ FREE_WORD;
        final long slot = slotAddress(position);
        UnsafeApi.putLong(slot + STEP_OFFSET, step);
        UnsafeApi.putLong(slot + TIMESTAMP_OFFSET, timestamp);
        UnsafeApi.putLong(slot + VALUE_OFFSET, valueBits);
        UnsafeApi.putInt(slot + METRIC_ID_OFFSET, metricId);
        UnsafeApi.putIntRelease(null, slot + CHECK_OFFSET, word);
    }

    /** Address of the slot holding {@code position}. */
    long slotAddress(final long position) {
        return slotsAddress + ((position & mask) << SLOT_SHIFT);
    }

    /** Every position below this is drained into the journal. */
    public long head() {
        return head;
    }

    /** The next position producers will claim (the sealed tail once sealed). */
    public long tail() {
        final long t = tail;
        return t < 0 ? t & Long.MAX_VALUE : t;
    }

    /**
     * Live rings (format 2, created by this build): true if a producer has committed the slot of
     * {@code position} (its word is not {@link PointRingLayout#FREE_WORD}, which the consumer
     * writes back when it frees the slot).
     * Only for positions in {@code [head, head + capacity)}.
     */
    public boolean isPublished(final long position) {
        return UnsafeApi.getIntAcquire(null, slotAddress(position) + CHECK_OFFSET) != FREE_WORD;
    }

    /**
     * True if the slot for {@code position} holds that position's committed point, judged from
     * the file alone: format 2 by its check over every field (a torn or damaged slot is not
     * committed), format 1 by its commit tag. Costs a hash a slot: recovery and checking only.
     */
    public boolean isCommitted(final long position) {
        return slotState(position) == COMMITTED;
    }

    /** {@link #FREE}, {@link #COMMITTED}, {@link #STALE} or {@link #DAMAGED}: what the slot of {@code position} holds. */
    public int slotState(final long position) {
        final long slot = slotAddress(position);
        final int word = UnsafeApi.getIntAcquire(null, slot + CHECK_OFFSET);
        if (version == VERSION_TAGGED) {
            return word == tagFor(position, slotShift) ? COMMITTED : FREE;
        }
        if (word == FREE_WORD) {
            return FREE;
        }
        if (word == 0) {
            return DAMAGED; // no slot is ever written 0: zeroed
        }
        final int check = word ^ FREE_WORD;
        final int id = UnsafeApi.getInt(slot + METRIC_ID_OFFSET);
        final long step = UnsafeApi.getLong(slot + STEP_OFFSET);
        final long timestamp = UnsafeApi.getLong(slot + TIMESTAMP_OFFSET);
        final long value = UnsafeApi.getLong(slot + VALUE_OFFSET);
        if (check == PointRingLayout.check(id, step, timestamp, value, position)) {
            return COMMITTED;
        }
        return check == PointRingLayout.check(id, step, timestamp, value, position - capacity) ? STALE : DAMAGED;
    }

    /** Byte offset in the file of the slot holding {@code position}. */
    public long slotFileOffset(final long position) {
        return HEADER_LENGTH + ((position & mask) << SLOT_SHIFT);
    }

    /**
     * Live rings, {@code from} the head: number of consecutive committed positions from
     * {@code from}, at most {@code max} and never more than one lap (a word other than the free one tells a
     * position apart only within {@code [head, head + capacity)}).
     */
    public int committedRun(final long from, final int max) {
        final int limit = Math.min(max, capacity);
        int n = 0;
        while (n < limit && isPublished(from + n)) {
            n++;
        }
        return n;
    }

    /**
     * Consumer only: frees every slot below {@code newHead}, setting each freed slot's word back
     * to {@link PointRingLayout#FREE_WORD} first (plain stores, published to producers by the volatile store of {@code head}).
     */
    public void advanceHead(final long newHead) {
        for (long p = head; p < newHead; p++) {
            UnsafeApi.putInt(slotAddress(p) + CHECK_OFFSET, FREE_WORD);
        }
        head = newHead;
    }

    /** Makes every later {@link #tryClaim()} return {@link #CLOSED}. Idempotent. */
    public void seal() {
        long t;
        do {
            t = tail;
            if (t < 0) {
                return;
            }
        } while (!TAIL.compareAndSet(this, t, t | Long.MIN_VALUE));
    }

    /** Releases the mapping, then deletes the file. Only after {@link #seal()} and a full drain. */
    public void unmapAndDelete() {
        unmap();
        try {
            fs.deleteIfExists(file);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot delete drained point ring " + file + ": " + e.getMessage(), e);
        }
    }

    /** Releases the mapping and keeps the file (used when a full drain was impossible). */
    public void unmap() {
        if (!unmapped) {
            unmapped = true;
            IoUtil.unmap(mapping);
        }
    }
}
