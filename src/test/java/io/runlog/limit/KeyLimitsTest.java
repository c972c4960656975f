package io.runlog.limit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The eviction protocol's building blocks: emptiness, retirement, and a successor that forgets nothing. */
class KeyLimitsTest {
    private static KeyLimits state() {
        return new KeyLimits(new RollingWindow[]{new RollingWindow(10, 60_000, 6, 0), null}, new RollingWindow(100, 3_600_000, 6, 0), 0);
    }

    @Test
    void shouldBeEmptyOnlyOnceNothingAdmittedStillCounts() {
        final KeyLimits s = state();
        assertTrue(s.isEmptyAt(1_000));
        assertEquals(0, s.window(0).tryAcquire(1_000, 3));
        assertFalse(s.isEmptyAt(1_000));
        assertFalse(s.isEmptyAt(60_000), "still inside the K + 1 counted sub-windows");
        assertTrue(s.isEmptyAt(70_000));
        assertEquals(0, s.submissions().tryAcquire(70_000, 1));
        assertFalse(s.isEmptyAt(200_000), "the hour-long submissions window still counts");
    }

    @Test
    void shouldGiveARetiredStateASuccessorThatCountsEveryAdmittedUnit() {
        final KeyLimits s = state();
        assertEquals(0, s.window(0).tryAcquire(1_000, 7));
        assertFalse(s.isRetired());
        s.retire();
        assertTrue(s.isRetired());
        final KeyLimits next = s.successor();
        assertFalse(next.isRetired());
        assertNull(next.window(1), "an unlimited type stays unlimited");
        assertNotEquals(0, next.window(0).tryAcquire(1_500, 4), "7 + 4 > 10: the copy remembers the 7");
        assertEquals(0, next.window(0).tryAcquire(1_500, 3));
        next.window(0).release(1_500, 3);
        assertEquals(0, next.window(0).tryAcquire(1_500, 3), "released units are free again");
    }

    @Test
    void shouldMakeAWindowOnlyOnItsFirstUseAndCopyOnlyTheWindowsMade() {
        final WindowShape metrics = new WindowShape(10, 60_000, 40, 0);
        final WindowShape submissions = new WindowShape(5, 3_600_000, 40, 0);
        final KeyLimits s = new KeyLimits(new WindowShape[]{metrics, null, metrics, submissions}, 0);
        assertNull(s.window(0), "not used yet: no window, no memory");
        assertNull(s.submissions());
        final RollingWindow w = s.windowFor(0);
        assertNotNull(w);
        assertSame(w, s.windowFor(0), "one window per type");
        assertNull(s.windowFor(1), "unlimited");
        assertTrue(s.unlimited(1));
        assertEquals(0, w.tryAcquire(1_000, 9));
        s.retire();
        final KeyLimits next = s.successor();
        assertNull(next.window(2), "never made, still unmade");
        assertNull(next.submissions());
        assertNotEquals(0, next.windowFor(0).tryAcquire(1_500, 2), "the copy remembers the 9");
        assertNotNull(next.submissionsFor());
    }
}
