package io.runlog.store;

import java.nio.file.Path;

/**
 * What one look at a point ring left by a process that did not close it found, over the window of
 * positions {@code [from, from + capacity)} that may hold undrained points ({@code from} is the
 * journal's high-water mark). Written by {@link #scan} for recovery ({@link RingDrain}) and for
 * {@code runlog check} alike.
 *
 * @param file              the ring file
 * @param version           its format version (1: no checks, so {@code damaged} is always 0)
 * @param from              first position of the window
 * @param committed         slots holding a committed point of their position (what recovery appends,
 *                          less {@code undefinedMetric})
 * @param damaged           format 2: slots with a check that matches neither their position nor the lap
 *                          before (torn or damaged), skipped
 * @param stale             format 2: slots drained into the journal just before the crash, not yet freed
 * @param unfinished        free slots before the last committed one: positions claimed by a producer killed
 *                          before its call returned (or slots zeroed by damage: the file cannot tell which)
 * @param firstDamagedOffset byte offset in the file of the first damaged slot, or -1
 * @param undefinedMetric   committed slots naming a metric the journal never defined, skipped (set by
 *                          recovery, which knows the catalog; 0 from {@link #scan})
 */
public record RingReport(Path file, int version, long from, long committed, long damaged, long stale, long unfinished,
                         long firstDamagedOffset, long undefinedMetric) {

    /** Slots recovery skipped as damaged, for any reason. */
    public long skipped() {
        return damaged + undefinedMetric;
    }

    /** True if nothing in the ring was damaged. */
    public boolean intact() {
        return skipped() == 0;
    }

    /** Reads every slot of the window {@code [from, from + capacity)} of {@code ring}. */
    public static RingReport scan(final PointRing ring, final long from) {
        long committed = 0;
        long damaged = 0;
        long stale = 0;
        long free = 0;
        long freeBeforeLast = 0;
        long firstDamaged = -1;
        final long window = from + ring.capacity();
        for (long p = from; p < window; p++) {
            switch (ring.slotState(p)) {
                case PointRing.COMMITTED -> {
                    committed++;
                    freeBeforeLast = free;
                }
                case PointRing.DAMAGED -> {
                    damaged++;
                    if (firstDamaged < 0) {
                        firstDamaged = ring.slotFileOffset(p);
                    }
                }
                case PointRing.STALE -> stale++;
                default -> free++;
            }
        }
        return new RingReport(ring.file(), ring.version(), from, committed, damaged, stale, freeBeforeLast, firstDamaged, 0);
    }

    RingReport withUndefinedMetric(final long n) {
        return new RingReport(file, version, from, committed, damaged, stale, unfinished, firstDamagedOffset, n);
    }

    /** One line for a log or a report. */
    public String describe() {
        return file + " (ring format " + version + ", positions from " + from + "): " + committed + " committed, "
            + damaged + " damaged" + (firstDamagedOffset >= 0 ? " (first at offset " + firstDamagedOffset + ")" : "")
            + ", " + undefinedMetric + " naming an undefined metric, " + stale + " stale, " + unfinished + " unfinished"
            + (version < PointRingLayout.VERSION ? "; format " + version + " has no slot checks" : "");
    }
}
