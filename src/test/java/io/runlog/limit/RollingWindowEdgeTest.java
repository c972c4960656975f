package io.runlog.limit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Edges of {@link RollingWindow}: a copy taken while the original moves, times at the ends of the
 * 40-bit sub-window index, negative times and origins, stale readings' retry times. (Found by a
 * review of the one-CAS window; each failed on its first version.)
 */
class RollingWindowEdgeTest {

    /**
     * copy() reads current, then earlier, then the closed words. Two moves of the original between
     * the first read and the others (threads still holding the retired state, with later clock
     * readings) recycle the closed word of a sub-window the copy's current still counts.
     */
    @Test
    void shouldNotForgetAClosedSubWindowWhenTheOriginalMovesTwiceDuringACopy() {
        final RollingWindow w = new RollingWindow(10, 60, 6, 0);
        assertEquals(0, w.tryAcquire(5, 6));               // sub-window 0
        assertEquals(0, w.tryAcquire(15, 4));              // sub-window 1: closed[0] = (0, 6), current (1, 4)
        assertNotEquals(0, w.tryAcquire(15, 1), "the original is full at 15");
        final boolean[] once = {true};
        final RollingWindow copy = w.copy(() -> {
            if (once[0]) {
                once[0] = false;
                assertEquals(0, w.tryAcquire(75, 1));      // sub-window 7: closes 1 (a retired caller then takes its unit back)
                w.release(75, 1);
                assertEquals(0, w.tryAcquire(85, 1));      // sub-window 8: closes 7 into word 7 mod 7 = 0, sub-window 0's word
                w.release(85, 1);
            }
        });
        assertNotEquals(0, copy.tryAcquire(15, 6),
            "sub-window 0's 6 units and 1's 4 still count at 15: 6 more would make 16 in [5, 15]");
    }

    /** A sub-window index needs 40 bits; a later time is refused with a typed error (it once made decide() spin for ever). */
    @Test
    void shouldRejectATimeWhoseSubWindowIndexDoesNotFitFortyBits() throws Exception {
        final RollingWindow w = new RollingWindow(10, 6, 6, 0);    // 1 ms sub-windows from the epoch
        final long epochMillisToday = 1_763_000_000_000L;          // sub-window 1.76e12 > 2^40
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread caller = new Thread(() -> {
            try {
                outcome.set(w.tryAcquire(epochMillisToday, 1));
            } catch (final RuntimeException e) {
                outcome.set(e);
            }
        });
        caller.setDaemon(true);                                    // if it spins, it dies with the JVM
        caller.start();
        caller.join(5_000);
        assertFalse(caller.isAlive(), "tryAcquire(" + epochMillisToday + ", 1) is still spinning in decide()");
        assertInstanceOf(IllegalArgumentException.class, outcome.get());
        assertThrows(IllegalArgumentException.class, () -> w.release(epochMillisToday, 1));
        assertEquals(0, new RollingWindow(10, 60_000, 6, 0).tryAcquire(epochMillisToday, 1), "10 s sub-windows have room");
    }

    /** Long.MAX_VALUE overflows the sub-window index to a negative one and nowMillis + 1 to Long.MIN_VALUE: "admitted". */
    @Test
    void shouldRejectTheLastMillisecondRatherThanAdmitWithoutCounting() {
        final RollingWindow w = new RollingWindow(10, 6, 6, 0);
        for (int i = 0; i < 20; i++) {
            assertThrows(IllegalArgumentException.class, () -> w.tryAcquire(Long.MAX_VALUE, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> w.tryAcquire(-1, 11), "the time is checked before the units' size");
        assertThrows(IllegalArgumentException.class, () -> w.release(1, 0));
        assertThrows(IllegalArgumentException.class, () -> w.release(1, -5));
    }

    /** nowMillis < 0 must be rejected, but a window with a negative origin admits it on the fast path. */
    @Test
    void shouldRejectANegativeOriginSoThatNoNegativeTimeReachesTheFastPath() {
        assertThrows(IllegalArgumentException.class, () -> new RollingWindow(10, 60_000, 6, -100_005));
        final RollingWindow w = new RollingWindow(10, 60_000, 6, 0);
        assertEquals(0, w.tryAcquire(5, 1));
        assertThrows(IllegalArgumentException.class, () -> w.tryAcquire(-1, 1));
    }

    @Test
    void shouldAnswerAStaleReadingWithATimeAtWhichARetrySucceeds() {
        final RollingWindow w = new RollingWindow(10, 60_000, 6, 0);
        assertEquals(0, w.tryAcquire(25_000, 10));                  // sub-window 2, full
        final long retry = w.tryAcquire(5_000, 1);                  // a reading from sub-window 0: stale
        assertTrue(retry > 25_000, "not the start of sub-window 2, which is full: " + retry);
        assertNotEquals(0, w.tryAcquire(retry - 1, 1));
        assertEquals(0, w.tryAcquire(retry, 1));
    }
}
