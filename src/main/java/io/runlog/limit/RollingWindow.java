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
    public static final long MAX_LIMIT = (1L << 24) - 1;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int UNIT_BITS = 24;
    private static final long UNIT_MASK = (1L << UNIT_BITS) - 1;

    private final long limit;
    private final long subWindowMillis;
    /** 1 / subWindowMillis: {@link #subWindowIndex} multiplies instead of dividing (a 64-bit division costs tens of cycles). */
    private final double inverseSubWindow;
    private final int subWindows;
    /** Sub-window 0 starts here; indices are relative to it (40 bits: 34 years of 1 ms sub-windows). */
    private final long originMillis;
    /**
     * At least K + 2 words {@code (index + 1) << 24 | units} (0: never used): K + 1 counted, one
     * more so a thread a sub-window ahead never recycles a word another thread still counts.
     */
    private final long[] slots;
    private final int mask;

    /**
     * @param limit        units admitted at most in any interval of {@code windowMillis}, 1 to {@link #MAX_LIMIT}
     * @param windowMillis the window length
     * @param subWindows   how many sub-windows divide it (more: less under-admission)
     * @param originMillis any time not after the first request (the clock's value at creation)
     */
    public RollingWindow(final long limit, final long windowMillis, final int subWindows, final long originMillis) {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_LIMIT + "], got " + limit);
        }
        if (subWindows < 1 || windowMillis < subWindows || windowMillis % subWindows != 0) {
            throw new IllegalArgumentException("windowMillis (" + windowMillis + ") must be a positive multiple of subWindows ("
                + subWindows + ")");
        }
        this.limit = limit;
        this.subWindowMillis = windowMillis / subWindows;
        this.inverseSubWindow = 1.0 / subWindowMillis;
        this.subWindows = subWindows;
        this.originMillis = originMillis;
        // K + 2 words rounded up to a power of two, so that a sub-window's word is index & mask
        this.slots = new long[Integer.highestOneBit(subWindows + 1) << 1];
        this.mask = slots.length - 1;
    }

    /** A window with the same parameters and counts as {@code source}, read word by word. */
    private RollingWindow(final RollingWindow source) {
        this.limit = source.limit;
        this.subWindowMillis = source.subWindowMillis;
        this.inverseSubWindow = source.inverseSubWindow;
        this.subWindows = source.subWindows;
        this.originMillis = source.originMillis;
        this.slots = new long[source.slots.length];
        this.mask = source.mask;
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
        final long first = subWindowIndex(nowMillis) - subWindows;
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
        add(subWindowIndex(nowMillis), -units);
    }

    public long limit() {
        return limit;
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
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        if (units > limit) {
            return Long.MAX_VALUE;
        }
        final long index = subWindowIndex(nowMillis);
        if (nowMillis < 0) {
            throw new IllegalArgumentException("nowMillis must be >= 0, got " + nowMillis);
        }
        if (index < 0) {
            return retryAfter(nowMillis, 0, units, sumFrom(-subWindows));
        }
        // Read-only first look: a request that cannot fit is refused without writing anything,
        // which keeps a throttled key's refusals cheap and free of cache-line contention.
        final long before = sumFrom(index - subWindows);
        if (before == STALE || before + units > limit) {
            return retryAfter(nowMillis, index, units, before);
        }
        if (!add(index, units)) {
            return retryAfter(nowMillis, index, units, sumFrom(index - subWindows));
        }
        final long sum = sumFrom(index - subWindows);
        if (sum <= limit) {
            return 0;
        }
        add(index, -units);
        if (sum == STALE) {
            // another thread is two sub-windows ahead: this request's clock reading is stale and
            // counted words may have been recycled; throttle it, a retry reads the clock anew
            return Math.max(nowMillis + 1, originMillis + (newestIndex() + 1) * subWindowMillis);
        }
        return retryAfter(nowMillis, index, units, sum - units);
    }

    /**
     * {@code floorDiv(nowMillis - origin, subWindowMillis)}, by a multiplication with the
     * reciprocal and an exact correction (the product is off by at most one either way).
     */
    long subWindowIndex(final long nowMillis) {
        final long t = nowMillis - originMillis;
        final long sub = subWindowMillis;
        long index = (long) (t * inverseSubWindow);
        if (index * sub > t) {
            index--;
        } else if ((index + 1) * sub <= t) {
            index++;
        }
        return index;
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
        final int i = (int) (index & mask);
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
        final long staleAt = first + subWindows + 2;
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
        // never "now" or earlier: 0 means admitted, and a throttled caller must wait at least 1 ms
        final long soonest = nowMillis + 1;
        long remaining = counted;
        if (remaining == STALE) {
            return Math.max(soonest, originMillis + (newestIndex() + 1) * subWindowMillis);
        }
        for (long leaving = index - subWindows; leaving <= index; leaving++) {
            if (remaining + units <= limit) {
                return Math.max(soonest, originMillis + Math.max(index, leaving + subWindows) * subWindowMillis);
            }
            remaining -= unitsIn(leaving);
        }
        return Math.max(soonest, originMillis + (index + subWindows + 1) * subWindowMillis);
    }

    private long unitsIn(final long index) {
        if (index < 0) {
            return 0;
        }
        final long word = (long) SLOTS.getVolatile(slots, (int) (index & mask));
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
