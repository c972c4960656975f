package io.runlog.limit;

/**
 * The immutable parameters of a {@link RollingWindow}: limit, window, sub-windows and origin,
 * with what is derived from them. One shape is shared by every window of the same kind (for
 * example every API key's metrics window), so a window itself holds only its counters: that keeps
 * a (key, type) state at 128 bytes or less.
 */
public final class WindowShape {
    /** Most units a window may admit: they share a 64-bit word with the sub-window's index. */
    public static final long MAX_LIMIT = (1L << 24) - 1;

    final long limit;
    final long subWindowMillis;
    /** 1 / subWindowMillis: {@link #subWindowIndex} multiplies instead of dividing (a 64-bit division costs tens of cycles). */
    final double inverseSubWindow;
    final int subWindows;
    /** Sub-window 0 starts here; indices are relative to it (40 bits: 34 years of 1 ms sub-windows). */
    final long originMillis;
    /** The last millisecond whose sub-window index fits the 40 bits of a window word ({@code index + 1 < 2^40}). */
    final long lastMillis;

    /**
     * @param limit        units admitted at most in any interval of {@code windowMillis}, 1 to {@link #MAX_LIMIT}
     * @param windowMillis the window length
     * @param subWindows   how many sub-windows divide it (more: less under-admission)
     * @param originMillis any time {@code >= 0} not after the first request (the clock's value at creation)
     */
    public WindowShape(final long limit, final long windowMillis, final int subWindows, final long originMillis) {
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
        if (originMillis < 0) {
            throw new IllegalArgumentException("originMillis must be >= 0, got " + originMillis);
        }
        final long maxIndex = (1L << 40) - 2;
        final long span = Math.multiplyHigh(maxIndex + 1, subWindowMillis) != 0 ? Long.MAX_VALUE : (maxIndex + 1) * subWindowMillis;
        this.lastMillis = span > Long.MAX_VALUE - 1 - originMillis ? Long.MAX_VALUE - 1 : originMillis + span - 1;
    }

    public long limit() {
        return limit;
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
}
