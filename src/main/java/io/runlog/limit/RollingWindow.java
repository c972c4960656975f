package io.runlog.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free rolling-window counter: admits units while fewer than {@code limit} were admitted
 * in the window, and otherwise says when a retry can succeed.
 *
 * <p><b>The guarantee.</b> Time is cut into sub-windows of {@code W / K} ({@code W} the window,
 * {@code K} the sub-window count). A request at time {@code t} in sub-window {@code j} is
 * admitted only if the units admitted in sub-windows {@code j-K .. j} (and in any later one
 * another thread already reached), plus its own, are at most {@code limit}. Every interval of
 * length {@code W}, whatever its start, lies inside {@code K + 1} consecutive sub-windows, so
 * <em>no interval of length W ever holds more than {@code limit} admitted units</em>. Calendar
 * windows, by contrast, admit {@code 2 * limit} across a boundary. The price is a little
 * under-admission: a unit admitted at the start of a sub-window counts until {@code W/K} after it
 * would have left an exact sliding window.
 *
 * <p><b>Layout.</b> Three kinds of 64-bit word, each {@code (sub-window index + 1) << 24 | units}
 * (0: never used):
 * <pre>
 *   current ──► [ index j     | units admitted in sub-window j          ]   one CAS per admission
 *   earlier ──► [ index j     | units of sub-windows j-K .. j-1 (≤ limit)]   written once per sub-window
 *   closed[m mod (K+1)] ──► [ index m | units of sub-window m, m &lt; j ]   K + 1 words, written once per sub-window
 * </pre>
 * An admission in the newest sub-window reads {@code current} and {@code earlier}, checks
 * {@code earlier + current + units <= limit} and adds its units to {@code current} by CAS: every
 * admission is one CAS on one word, so admissions are totally ordered and each one is checked
 * against everything admitted before it. Units are only ever added to the newest sub-window.
 *
 * <p><b>Moving to a new sub-window</b> (the first request of sub-window {@code i > j}): record
 * {@code j}'s units in {@code closed}, compute {@code earlier} for {@code i} from {@code closed},
 * publish it, then CAS {@code current} from {@code j} to {@code (i, 0)}. Racing threads may do
 * the first two steps more than once with different counts; {@code closed} and {@code earlier}
 * only ever grow for a given index (a CAS that keeps the larger count), so every published count
 * is at least the true one, and only the thread whose CAS on {@code current} succeeds moves the
 * window, after its own (complete) count was published. A thread that finds {@code earlier}
 * tagged with another index than {@code current}'s (a move in progress) sums {@code closed}
 * itself.
 *
 * <p><b>Clock readings behind the window.</b> A request one sub-window behind the newest (a
 * thread that read the clock just before a boundary another thread already crossed) is checked
 * against sub-windows {@code j-1-K .. j} and its units are counted in {@code j}: later than they
 * happened, which only makes them count longer. A request two or more behind is throttled with
 * the start of the newest sub-window as its retry time (a retry reads the clock anew).
 *
 * <p><b>Taking units back</b> ({@link #release}) subtracts them from {@code current} if the
 * window is still in the sub-window they were counted in; otherwise they stay counted
 * (under-admission, never over-admission).
 *
 * <p>Clock: the caller passes the time (milliseconds) so tests drive it.
 */
public final class RollingWindow {
    /** Most units a window may admit: they share a 64-bit word with the sub-window's index. */
    public static final long MAX_LIMIT = WindowShape.MAX_LIMIT;
    /** The answer for more units than the limit: such a request is never admitted (split it). */
    public static final long NEVER = Long.MAX_VALUE;

    private static final VarHandle CLOSED = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CURRENT;
    private static final VarHandle EARLIER;
    private static final VarHandle MEMO_KEY;
    private static final VarHandle MEMO_RETRY_AT;
    private static final int UNIT_BITS = 24;
    private static final long UNIT_MASK = (1L << UNIT_BITS) - 1;
    /** Bits of the units in a memo key; the rest holds the millisecond. */
    private static final int MEMO_UNIT_BITS = 22;
    private static final long MEMO_UNIT_MASK = (1L << MEMO_UNIT_BITS) - 1;
    /** {@link #memoKey} while a refusing thread rewrites the memo. */
    private static final long MEMO_BUSY = -1;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURRENT = lookup.findVarHandle(RollingWindow.class, "current", long.class);
            EARLIER = lookup.findVarHandle(RollingWindow.class, "earlier", long.class);
            MEMO_KEY = lookup.findVarHandle(RollingWindow.class, "memoKey", long.class);
            MEMO_RETRY_AT = lookup.findVarHandle(RollingWindow.class, "memoRetryAt", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Layout: 12-byte header, two references, four longs: 56 bytes, plus the 72-byte array of
    // K + 1 = 7 closed words: 128 in all. Limit, window and origin live in the shared WindowShape.
    // The admission path reads shape, current and earlier; closed and the memo are for the
    // once-per-sub-window move and for refusals.
    private final WindowShape shape;
    /** The newest sub-window and its units ({@code (j + 1) << 24 | units}; 0: none yet). */
    private long current;
    /** Units of the K sub-windows before {@code current}'s, tagged with {@code current}'s index. */
    private long earlier;
    /** Closed sub-windows: word {@code m mod (K + 1)} is {@code (m + 1) << 24 | units of m}. */
    private final long[] closed;
    /**
     * The refusal memo: the {@link #current} word the last refusal was decided against (0: none;
     * {@link #MEMO_BUSY}: being rewritten), and in {@link #memoRetryAt} its units and its retry
     * time before the clamp to {@code now + 1} ({@code (retry - origin) << 22 | units}),
     * published like a seqlock. The retry time is a function of that word alone (the closed words
     * of its sub-window's predecessors are final once the window moved past them), so a request
     * of the same units that finds the same word, and checks itself that it does not fit, gets
     * that answer after three more loads, in any millisecond of the sub-window: a throttled key's
     * common case costs no scan. The memo only ever answers a refusal the caller verified, so it
     * can never admit too much. (A reader whose two loads of the key straddle two rewrites, for a
     * word that was left and came back through units taken back, may pair the word with another
     * word's retry time: a retry time off by those units, never an admission.)
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
        this.closed = new long[shape.subWindows + 1];
    }

    /** A window with the same shape and counts as {@code source}, read word by word. */
    private RollingWindow(final RollingWindow source, final Runnable afterReadingCurrent) {
        this.shape = source.shape;
        this.closed = new long[source.closed.length];
        // A snapshot taken while current stays in one sub-window: with no move completed between
        // the first and the last read, the closed words of current's K predecessors cannot have
        // been recycled (that takes a move past current and another one after it). A move that
        // completes meanwhile makes the copy read again (lock-free: the source moved on).
        long first;
        do {
            first = (long) CURRENT.getVolatile(source);
            afterReadingCurrent.run();
            this.earlier = (long) EARLIER.getVolatile(source);
            for (int m = 0; m < closed.length; m++) {
                closed[m] = (long) CLOSED.getVolatile(source.closed, m);
            }
        } while (indexOf((long) CURRENT.getVolatile(source)) != indexOf(first));
        this.current = first;
        VarHandle.releaseFence();
    }

    /**
     * A copy that counts at least every unit this window counted when the copy began (units
     * taken back meanwhile may still count in the copy, never the reverse).
     */
    public RollingWindow copy() {
        return new RollingWindow(this, () -> { });
    }

    /** {@link #copy}, running {@code afterReadingCurrent} between its reads (a test seam for interleavings). */
    RollingWindow copy(final Runnable afterReadingCurrent) {
        return new RollingWindow(this, afterReadingCurrent);
    }

    /** True if no unit admitted before counts at {@code nowMillis} or later: forgetting this window loses nothing. */
    public boolean isEmptyAt(final long nowMillis) {
        final long first = shape.subWindowIndex(nowMillis) - shape.subWindows;
        final long now = (long) CURRENT.getVolatile(this);
        if (indexOf(now) >= first && (now & UNIT_MASK) != 0) {
            return false;
        }
        for (int m = 0; m < closed.length; m++) {
            final long word = (long) CLOSED.getVolatile(closed, m);
            if (indexOf(word) >= first && (word & UNIT_MASK) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes back {@code units} admitted by {@link #tryAcquire} at the same {@code nowMillis}
     * (the caller decided not to use them after all). If the window has moved on since, they stay
     * counted until they leave it.
     */
    public void release(final long nowMillis, final int units) {
        checkArguments(nowMillis, units);
        final long index = shape.subWindowIndex(nowMillis);
        while (true) {
            final long word = (long) CURRENT.getVolatile(this);
            // units admitted at this time were counted in this index or, a sub-window late, in a
            // later one; only the former is certain to hold them
            if (indexOf(word) != index || (word & UNIT_MASK) < units) {
                return;
            }
            if (CURRENT.compareAndSet(this, word, word - units)) {
                return;
            }
        }
    }

    public long limit() {
        return shape.limit;
    }

    /** The shared parameters of this window. */
    WindowShape shape() {
        return shape;
    }

    /** The sub-window of a time (package-private for tests). */
    long subWindowIndex(final long nowMillis) {
        return shape.subWindowIndex(nowMillis);
    }

    /**
     * Tries to admit {@code units} at time {@code nowMillis}.
     *
     * @param nowMillis the time (epoch milliseconds), from 0 to the last millisecond whose
     *                  sub-window index fits a word's 40 bits (2^40 - 1 sub-windows after the
     *                  origin: 34 years of 1 ms sub-windows, 52,000 years of the gate's 1.5 s ones)
     * @throws IllegalArgumentException if {@code units <= 0} or {@code nowMillis} is out of that range
     * @return 0 if admitted; otherwise a time after {@code nowMillis}: the earliest at which the
     *         same request can be admitted if nothing else is (at least 1 ms on, since a request
     *         may be throttled by another's units that are then taken back), or
     *         {@link #NEVER} if {@code units} exceeds the limit and never can be
     */
    public long tryAcquire(final long nowMillis, final int units) {
        final WindowShape shape = this.shape;
        final long index = shape.subWindowIndex(nowMillis);
        final long now = (long) CURRENT.getVolatile(this);
        if (indexOf(now) == index && units > 0 && index >= 0) {
            final long before = (long) EARLIER.getVolatile(this);
            if (indexOf(before) == index) {
                if ((before & UNIT_MASK) + (now & UNIT_MASK) + units <= shape.limit) {
                    if (CURRENT.compareAndSet(this, now, now + units)) {
                        return 0; // an admission: one CAS
                    }
                } else if ((long) MEMO_KEY.getAcquire(this) == now) {
                    // refused against the same current word before: the same answer (a throttled key's common case)
                    final long memo = (long) MEMO_RETRY_AT.getOpaque(this);
                    VarHandle.loadLoadFence();
                    if ((long) MEMO_KEY.getOpaque(this) == now && (memo & MEMO_UNIT_MASK) == units) {
                        return Math.max(nowMillis + 1, shape.originMillis + (memo >>> MEMO_UNIT_BITS));
                    }
                }
            }
        }
        return decide(nowMillis, index, units);
    }

    /** Everything but an uncontended admission in the newest sub-window and a repeated refusal. */
    private long decide(final long nowMillis, final long index, final int units) {
        final WindowShape shape = this.shape;
        checkArguments(nowMillis, units);
        if (units > shape.limit) {
            return NEVER;
        }
        if (index < 0) {
            return Math.max(nowMillis + 1, shape.originMillis); // before the window's origin: a clock that went back
        }
        while (true) {
            final long now = (long) CURRENT.getVolatile(this);
            final long newest = indexOf(now);
            if (index > newest) {
                moveTo(index, now);
                continue;
            }
            final long counted;
            if (index == newest) {
                counted = earlierUnits(newest) + (now & UNIT_MASK);
            } else if (index == newest - 1) {
                // a sub-window late: also count the one that left newest's K but not index's
                final long oldest = closedUnits(index - shape.subWindows);
                if (oldest < 0) {
                    return retryAfter(nowMillis, newest, units, now); // a move is recycling it: throttled as if in newest
                }
                counted = earlierUnits(newest) + oldest + (now & UNIT_MASK);
            } else {
                // two or more sub-windows behind: the clock reading is stale and the words it
                // would need are recycled; throttled, with the time a retry (which reads the
                // clock anew) can succeed in the newest sub-window
                return retryAfter(nowMillis, newest, units, now);
            }
            if (counted + units > shape.limit) {
                return refuse(nowMillis, newest, units, now);
            }
            if (CURRENT.compareAndSet(this, now, now + units)) {
                return 0;
            }
        }
    }

    /**
     * What {@link #tryAcquire} would answer for {@code units} at {@code nowMillis}, without
     * counting anything: 0 if they fit now, else the earliest time at which they fit if nothing
     * else is admitted meanwhile ({@link #NEVER} for more than the limit). Counts only ever leave
     * a window as time passes, so once a request fits it keeps fitting until something else is
     * admitted: the answer is exact, and a retry at it is admitted while one a millisecond
     * earlier is not (with no other traffic). For a clock reading behind the window's newest
     * sub-window (a thread that read the clock before another crossed a boundary) it answers a
     * refusal, as {@link #tryAcquire} would at worst: conservative, never an admission.
     */
    public long peek(final long nowMillis, final int units) {
        checkArguments(nowMillis, units);
        final WindowShape shape = this.shape;
        if (units > shape.limit) {
            return NEVER;
        }
        final long index = shape.subWindowIndex(nowMillis);
        if (index < 0) {
            return Math.max(nowMillis + 1, shape.originMillis);
        }
        final long now = (long) CURRENT.getVolatile(this);
        final long newest = indexOf(now);
        if (index < newest) {
            return retryAfter(nowMillis, newest, units, now); // a stale reading: as decide() would throttle it at worst
        }
        return countedFrom(index - shape.subWindows, newest, now) + units <= shape.limit
            ? 0 : retryAfter(nowMillis, newest, units, now);
    }

    /**
     * Units a request at {@code nowMillis} is checked against (the units admitted in the
     * sub-windows that still count then), at most the limit: {@code limit - counted} is what
     * may still be admitted now.
     */
    public long counted(final long nowMillis) {
        checkTime(nowMillis);
        final long index = Math.max(0, shape.subWindowIndex(nowMillis));
        final long now = (long) CURRENT.getVolatile(this);
        final long newest = indexOf(now);
        return Math.min(shape.limit, countedFrom(Math.max(index, newest) - shape.subWindows, newest, now));
    }

    /**
     * The time from which nothing admitted so far counts any more (the whole limit is free
     * again), or 0 if nothing counts at {@code nowMillis} already.
     */
    public long freeAtMillis(final long nowMillis) {
        checkTime(nowMillis);
        final long index = Math.max(0, shape.subWindowIndex(nowMillis));
        final long now = (long) CURRENT.getVolatile(this);
        final long newest = indexOf(now);
        final long first = Math.max(index, newest) - shape.subWindows;
        long last = -1;
        if (newest >= first && (now & UNIT_MASK) != 0) {
            last = newest;
        } else {
            for (long m = newest - 1; m >= Math.max(0, first); m--) {
                if (closedUnits(m) > 0) {
                    last = m;
                    break;
                }
            }
        }
        return last < 0 ? 0 : shape.originMillis + (last + shape.subWindows + 1) * shape.subWindowMillis;
    }

    /** The window length in milliseconds. */
    public long windowMillis() {
        return shape.subWindowMillis * shape.subWindows;
    }

    /** Units of sub-windows {@code first .. newest} ({@code now} is current's word). */
    private long countedFrom(final long first, final long newest, final long now) {
        final long inCurrent = newest >= 0 && newest >= first ? now & UNIT_MASK : 0;
        return inCurrent + closedSum(first, newest);
    }

    /** Units positive, time from 0 to the last millisecond whose sub-window index fits a word's 40 bits. */
    private void checkArguments(final long nowMillis, final int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        checkTime(nowMillis);
    }

    private void checkTime(final long nowMillis) {
        if (nowMillis < 0) {
            throw new IllegalArgumentException("nowMillis must be >= 0, got " + nowMillis);
        }
        if (nowMillis > shape.lastMillis) {
            throw new IllegalArgumentException("nowMillis " + nowMillis + " is after the window's last sub-window (a 40-bit index): "
                + shape.lastMillis);
        }
    }

    /**
     * Moves the window from {@code current} (word {@code now}) to sub-window {@code index}:
     * records the closing sub-window, publishes {@code index}'s earlier count, then CASes
     * {@code current}. Failing the CAS is fine: the caller re-reads {@code current}.
     */
    private void moveTo(final long index, final long now) {
        final long closing = indexOf(now);
        if (closing >= 0) {
            raise(closed, slotOf(closing), closing, now & UNIT_MASK);
        }
        raiseEarlier(index, Math.min(closedSum(index - shape.subWindows, Math.min(index, closing + 1)), shape.limit));
        CURRENT.compareAndSet(this, now, pack(index, 0));
    }

    /** Sets word {@code slot} of {@code words} to {@code (index, units)} unless it already holds as many units of index or a later index. */
    private static void raise(final long[] words, final int slot, final long index, final long units) {
        while (true) {
            final long word = (long) CLOSED.getVolatile(words, slot);
            final long at = indexOf(word);
            if (at > index || (at == index && (word & UNIT_MASK) >= units)) {
                return;
            }
            if (CLOSED.compareAndSet(words, slot, word, pack(index, units))) {
                return;
            }
        }
    }

    /** {@link #raise} for {@link #earlier}. */
    private void raiseEarlier(final long index, final long units) {
        while (true) {
            final long word = (long) EARLIER.getVolatile(this);
            final long at = indexOf(word);
            if (at > index || (at == index && (word & UNIT_MASK) >= units)) {
                return;
            }
            if (EARLIER.compareAndSet(this, word, pack(index, units))) {
                return;
            }
        }
    }

    /** Units of sub-windows {@code newest-K .. newest-1}: {@link #earlier} if it is tagged with newest, else summed from {@link #closed}. */
    private long earlierUnits(final long newest) {
        final long word = (long) EARLIER.getVolatile(this);
        if (indexOf(word) == newest) {
            return word & UNIT_MASK;
        }
        return closedSum(newest - shape.subWindows, newest);
    }

    /** Units of closed sub-windows {@code from .. to - 1} (a recycled word counts 0: the caller's CAS then fails). */
    private long closedSum(final long from, final long to) {
        long sum = 0;
        final long start = Math.max(0, from);
        if (start >= to) {
            return sum;
        }
        // one division for the first slot, then step through the ring (41 words for the gate's windows)
        final int length = closed.length;
        int slot = slotOf(start);
        for (long m = start; m < to; m++) {
            sum += Math.max(0, closedUnitsAt(slot, m));
            if (++slot == length) {
                slot = 0;
            }
        }
        return sum;
    }

    /** {@link #closedUnits} of sub-window {@code m}, whose word is {@code slot} ({@code m mod (K + 1)}). */
    private long closedUnitsAt(final int slot, final long m) {
        final long word = (long) CLOSED.getVolatile(closed, slot);
        final long at = indexOf(word);
        return at == m ? word & UNIT_MASK : at < m ? 0 : -1;
    }

    /**
     * Units of closed sub-window {@code m}: 0 if it admitted nothing (its word holds an older
     * index), or -1 if its word was already recycled for a newer sub-window.
     */
    private long closedUnits(final long m) {
        if (m < 0) {
            return 0;
        }
        final long word = (long) CLOSED.getVolatile(closed, slotOf(m));
        final long at = indexOf(word);
        return at == m ? word & UNIT_MASK : at < m ? 0 : -1;
    }

    private int slotOf(final long m) {
        return (int) (m % closed.length);
    }

    /**
     * A refusal in sub-window {@code newest} (the request's own, or one behind): its retry time
     * before the clamp to {@code nowMillis + 1} is remembered with the current word it was decided
     * against, for the same units.
     */
    private long refuse(final long nowMillis, final long newest, final int units, final long now) {
        final long unclamped = retryAfterUnclamped(newest, units, now);
        final long relative = unclamped - shape.originMillis;
        if (units < (1 << MEMO_UNIT_BITS) && relative >= 0 && relative < (1L << (63 - MEMO_UNIT_BITS))) {
            final long current = (long) MEMO_KEY.getOpaque(this);
            final long value = relative << MEMO_UNIT_BITS | units;
            // rewritten only when the word or the units change, by one thread at a time
            if (current != MEMO_BUSY && (current != now || (long) MEMO_RETRY_AT.getOpaque(this) != value)
                && MEMO_KEY.compareAndSet(this, current, MEMO_BUSY)) {
                MEMO_RETRY_AT.setOpaque(this, value);
                MEMO_KEY.setRelease(this, now);
            }
        }
        return Math.max(nowMillis + 1, unclamped);
    }

    /**
     * The earliest time at which {@code units} would fit if nothing else is admitted: the count
     * of sub-windows {@code newest-K .. newest} drops as the oldest of them leave the K + 1
     * counted ones. A retry is decided in {@code newest} or later, so the answer is never before
     * {@code newest}'s start.
     */
    private long retryAfter(final long nowMillis, final long newest, final int units, final long now) {
        // never "now" or earlier: 0 means admitted, and a throttled caller must wait at least 1 ms
        return Math.max(nowMillis + 1, retryAfterUnclamped(newest, units, now));
    }

    /**
     * {@link #retryAfter} before the clamp to {@code nowMillis + 1}: a function of the current
     * word {@code now} alone (with the closed words of its K predecessors, final once the
     * window moved past them), which is what lets a refusal be remembered by that word.
     */
    private long retryAfterUnclamped(final long newest, final int units, final long now) {
        final WindowShape shape = this.shape;
        final long origin = shape.originMillis;
        final long sub = shape.subWindowMillis;
        final int k = shape.subWindows;
        long remaining = (now & UNIT_MASK) + closedSum(newest - k, newest);
        final int length = closed.length;
        int slot = newest - k >= 0 ? slotOf(newest - k) : 0;
        for (long leaving = newest - k; leaving <= newest; leaving++) {
            if (remaining + units <= shape.limit) {
                return origin + Math.max(newest, leaving + k) * sub;
            }
            if (leaving >= 0) {
                remaining -= leaving == newest ? now & UNIT_MASK : Math.max(0, closedUnitsAt(slot, leaving));
                if (++slot == length) {
                    slot = 0;
                }
            }
        }
        return origin + (newest + k + 1) * sub;
    }

    private static long pack(final long index, final long units) {
        return ((index + 1) << UNIT_BITS) | units;
    }

    /** The sub-window a word counts, or -1 for a never-used word. */
    private static long indexOf(final long word) {
        return (word >>> UNIT_BITS) - 1;
    }
}
