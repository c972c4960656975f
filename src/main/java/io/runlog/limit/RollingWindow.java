package io.runlog.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free rolling-window counter: admits units while fewer than {@code limit} were admitted
 * in the window, and otherwise says when a retry can succeed.
 *
 * <p><b>The guarantee.</b> Time is cut into sub-windows of {@code W / K} ({@code W} the window,
 * {@code K} the sub-window count). A request at time {@code t} in sub-window {@code j} is
 * admitted only if the units admitted in sub-windows {@code j-K .. j} (and any later one another
 * thread already reached), plus its own, are at most {@code limit}. Every interval of length
 * {@code W}, whatever its start, lies inside {@code K + 1} consecutive sub-windows, so
 * <em>no interval of length W ever holds more than {@code limit} admitted units</em> (in fact no
 * interval of length {@code W + W/K}). Calendar windows, by contrast, admit {@code 2 * limit}
 * across a boundary. The price is a little under-admission: a unit admitted at the start of a
 * sub-window counts until {@code W/K} after it would have left an exact sliding window.
 *
 * <p><b>Concurrency.</b> Each sub-window is one 64-bit word ({@code (index + 1) << 24 | units}).
 * A request first sums the words and is refused at once if it cannot fit (no write); otherwise it
 * adds its units to its sub-window by CAS, sums again, and if the sum is now over the limit takes
 * its units back and is throttled. Of two racing requests, the later one to
 * read always sees the earlier one's units, so both can never be admitted past the limit; at
 * worst a request is throttled by another's units that are then taken back (under-admission,
 * never over-admission). No locks, no allocation.
 *
 * <p>Clock: the caller passes the time (milliseconds) so tests drive it. A request whose time is
 * two or more sub-windows behind the newest one another thread already counted (a thread that
 * read the clock and was descheduled, say) is throttled, with a retry time in the present: its
 * sub-window's neighbours may already have been recycled, and admitting it could break the
 * guarantee.
 */
public final class RollingWindow {
    /** Most units a window may admit: they share a 64-bit word with the sub-window's index. */
    public static final long MAX_LIMIT = WindowShape.MAX_LIMIT;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle MEMO_KEY;
    private static final VarHandle MEMO_RETRY_AT;
    private static final int UNIT_BITS = 24;
    private static final long UNIT_MASK = (1L << UNIT_BITS) - 1;
    /** Bits of the units in a memo key; the rest holds the millisecond. */
    private static final int MEMO_UNIT_BITS = 22;
    /** {@link #memoKey} while a refusing thread rewrites the memo. */
    private static final long MEMO_BUSY = -1;

    static {
        try {
            MEMO_KEY = MethodHandles.lookup().findVarHandle(RollingWindow.class, "memoKey", long.class);
            MEMO_RETRY_AT = MethodHandles.lookup().findVarHandle(RollingWindow.class, "memoRetryAt", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Layout: 12-byte header, two references, two longs: 40 bytes, plus the 80-byte word array of
    // a 6-sub-window window, 120 in all. Everything that does not change lives in the shared
    // WindowShape.
    private final WindowShape shape;
    /**
     * At least K + 2 words {@code (index + 1) << 24 | units} (0: never used): K + 1 counted, one
     * more so a thread a sub-window ahead never recycles a word another thread still counts.
     */
    private final long[] slots;
    /**
     * The refusal memo: {@code (millisecond - origin) << 22 | units} of the last read-only
     * refusal (0: none; {@link #MEMO_BUSY}: being rewritten), and its answer in
     * {@link #memoRetryAt}, published like a seqlock. The same request in the same millisecond
     * gets the same answer without scanning the words: a throttled key, the common case under
     * load, costs three loads. The memo can only repeat a refusal within its millisecond, so a
     * count that drops meanwhile (units taken back) is under-admitted for at most 1 ms.
     */
    private long memoKey;
    private long memoRetryAt;

    /** A window of its own shape (see {@link WindowShape#WindowShape}). */
    public RollingWindow(final long limit, final long windowMillis, final int subWindows, final long originMillis) {
        this(new WindowShape(limit, windowMillis, subWindows, originMillis));
    }

    /** A window of a shared shape. */
    public RollingWindow(final WindowShape shape) {
        this.shape = shape;
        this.slots = new long[shape.words];
    }

    /** A window with the same shape and counts as {@code source}, read word by word. */
    private RollingWindow(final RollingWindow source) {
        this.shape = source.shape;
        this.slots = new long[source.slots.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = (long) SLOTS.getVolatile(source.slots, i);
        }
        VarHandle.releaseFence();
    }

    /**
     * A copy that counts at least every unit this window counted when the copy began (each word
     * is read once; units taken back meanwhile may still count in the copy, never the reverse).
     */
    public RollingWindow copy() {
        return new RollingWindow(this);
    }

    /** True if no unit admitted before counts at {@code nowMillis} or later: forgetting this window loses nothing. */
    public boolean isEmptyAt(final long nowMillis) {
        final long first = shape.subWindowIndex(nowMillis) - shape.subWindows;
        for (int i = 0; i < slots.length; i++) {
            final long word = (long) SLOTS.getVolatile(slots, i);
            if (indexOf(word) >= first && (word & UNIT_MASK) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes back {@code units} admitted by {@link #tryAcquire} at the same {@code nowMillis}
     * (the caller decided not to use them after all).
     */
    public void release(final long nowMillis, final int units) {
        add(shape.subWindowIndex(nowMillis), -units);
    }

    public long limit() {
        return shape.limit;
    }

    /** The sub-window of a time (package-private for tests). */
    long subWindowIndex(final long nowMillis) {
        return shape.subWindowIndex(nowMillis);
    }

    /**
     * Tries to admit {@code units} at time {@code nowMillis}.
     *
     * @param nowMillis the time, {@code >= 0} (epoch milliseconds)
     * @return 0 if admitted; otherwise a time after {@code nowMillis}: the earliest at which the
     *         same request can be admitted if nothing else is (at least 1 ms on, since a request
     *         may be throttled by another's units that are then taken back), or
     *         {@link Long#MAX_VALUE} if {@code units} exceeds the limit and never can be
     */
    public long tryAcquire(final long nowMillis, final int units) {
        final WindowShape shape = this.shape;
        final long key = memoKey(shape, nowMillis, units);
        if (key > 0 && (long) MEMO_KEY.getAcquire(this) == key) {
            final long retryAt = (long) MEMO_RETRY_AT.getOpaque(this);
            VarHandle.loadLoadFence();
            if ((long) MEMO_KEY.getOpaque(this) == key) {
                return retryAt; // refused in this millisecond already
            }
        }
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        if (units > shape.limit) {
            return Long.MAX_VALUE;
        }
        if (nowMillis < 0) {
            throw new IllegalArgumentException("nowMillis must be >= 0, got " + nowMillis);
        }
        final long index = shape.subWindowIndex(nowMillis);
        if (index < 0) {
            return retryAfter(nowMillis, 0, units, sumFrom(-shape.subWindows));
        }
        // Read-only first look: a request that cannot fit is refused without writing anything,
        // which keeps a throttled key's refusals cheap and free of cache-line contention.
        final long before = sumFrom(index - shape.subWindows);
        if (before == STALE || before + units > shape.limit) {
            return refuse(nowMillis, index, units, before);
        }
        if (!add(index, units)) {
            return retryAfter(nowMillis, index, units, sumFrom(index - shape.subWindows));
        }
        final long sum = sumFrom(index - shape.subWindows);
        if (sum <= shape.limit) {
            return 0;
        }
        add(index, -units);
        if (sum == STALE) {
            // another thread is two sub-windows ahead: this request's clock reading is stale and
            // counted words may have been recycled; throttle it, a retry reads the clock anew
            return Math.max(nowMillis + 1, shape.originMillis + (newestIndex() + 1) * shape.subWindowMillis);
        }
        return retryAfter(nowMillis, index, units, sum - units);
    }

    /** A read-only refusal: its answer is remembered for the same request in the same millisecond. */
    private long refuse(final long nowMillis, final long index, final int units, final long counted) {
        final long retryAt = retryAfter(nowMillis, index, units, counted);
        final long key = memoKey(shape, nowMillis, units);
        if (counted != STALE && key > 0) {
            final long current = (long) MEMO_KEY.getOpaque(this);
            // rewritten only when the millisecond or the units change, by one thread at a time
            if (current != key && current != MEMO_BUSY && MEMO_KEY.compareAndSet(this, current, MEMO_BUSY)) {
                MEMO_RETRY_AT.setOpaque(this, retryAt);
                MEMO_KEY.setRelease(this, key);
            }
        }
        return retryAt;
    }

    /**
     * The memo key of a request: {@code (nowMillis - origin) << 22 | units}, or 0 if it cannot
     * have one (a time before the origin or 2^41 ms after it, that is after the year 2039 for an
     * origin of 0; units outside {@code [1, 2^22)}).
     */
    private static long memoKey(final WindowShape shape, final long nowMillis, final int units) {
        final long t = nowMillis - shape.originMillis;
        return units > 0 && units < (1 << MEMO_UNIT_BITS) && t >= 0 && t < (1L << (63 - MEMO_UNIT_BITS))
            ? t << MEMO_UNIT_BITS | units : 0;
    }

    /** {@link #sumFrom} when a word already counts a sub-window two or more ahead of the caller's. */
    private static final long STALE = Long.MAX_VALUE;

    private long newestIndex() {
        long newest = -1;
        for (int i = 0; i < slots.length; i++) {
            newest = Math.max(newest, indexOf((long) SLOTS.getVolatile(slots, i)));
        }
        return newest;
    }

    /** Adds {@code units} (negative: takes them back) to sub-window {@code index}; false if it is too old. */
    private boolean add(final long index, final int units) {
        final long[] slots = this.slots;
        final int i = (int) (index & shape.mask);
        while (true) {
            final long word = (long) SLOTS.getVolatile(slots, i);
            final long slotIndex = indexOf(word);
            final long next;
            if (slotIndex == index) {
                next = word + units;
            } else if (slotIndex < index) {
                if (units < 0) {
                    return true; // recycled meanwhile: the units already left the count
                }
                next = pack(index, units);
            } else {
                return false; // the word already holds a newer sub-window: this time is too old
            }
            if (SLOTS.compareAndSet(slots, i, word, next)) {
                return true;
            }
        }
    }

    /**
     * Units counted in sub-windows {@code >= first} (the caller's index minus K), or
     * {@link #STALE} if some word holds a sub-window two or more past the caller's: only such a
     * word can have recycled one the caller must count.
     */
    private long sumFrom(final long first) {
        final long staleAt = first + shape.subWindows + 2;
        long sum = 0;
        for (int i = 0; i < slots.length; i++) {
            final long word = (long) SLOTS.getVolatile(slots, i);
            final long index = indexOf(word);
            if (index >= staleAt) {
                return STALE;
            }
            if (index >= first) {
                sum += word & UNIT_MASK;
            }
        }
        return sum;
    }

    /**
     * The earliest time at which {@code units} would fit, if nothing else is admitted: the count
     * ({@code counted}, from the caller's scan) drops as the oldest counted sub-windows leave the
     * K + 1 counted ones.
     */
    private long retryAfter(final long nowMillis, final long index, final int units, final long counted) {
        final WindowShape shape = this.shape;
        final long origin = shape.originMillis;
        final long sub = shape.subWindowMillis;
        final int k = shape.subWindows;
        // never "now" or earlier: 0 means admitted, and a throttled caller must wait at least 1 ms
        final long soonest = nowMillis + 1;
        long remaining = counted;
        if (remaining == STALE) {
            return Math.max(soonest, origin + (newestIndex() + 1) * sub);
        }
        for (long leaving = index - k; leaving <= index; leaving++) {
            if (remaining + units <= shape.limit) {
                return Math.max(soonest, origin + Math.max(index, leaving + k) * sub);
            }
            remaining -= unitsIn(leaving);
        }
        return Math.max(soonest, origin + (index + k + 1) * sub);
    }

    private long unitsIn(final long index) {
        if (index < 0) {
            return 0;
        }
        final long word = (long) SLOTS.getVolatile(slots, (int) (index & shape.mask));
        return indexOf(word) == index ? word & UNIT_MASK : 0;
    }

    private static long pack(final long index, final long units) {
        return ((index + 1) << UNIT_BITS) | units;
    }

    /** The sub-window a word counts, or -1 for a never-used word. */
    private static long indexOf(final long word) {
        return (word >>> UNIT_BITS) - 1;
    }
}
