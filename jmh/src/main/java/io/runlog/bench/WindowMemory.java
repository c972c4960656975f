package io.runlog.bench;

import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.limit.BaselineRollingWindow;
import io.runlog.limit.RollingWindow;
import io.runlog.limit.WindowShape;

import java.util.Locale;

/**
 * Heap bytes per rolling window, today's design (40 sub-windows) against the one before it
 * (6 sub-windows, {@link BaselineRollingWindow}), and per API key of today's gate, in one JVM:
 * the heap after full GCs before and after making N windows of each (default 500,000), kept
 * reachable in an array (its 4-byte references excluded), then N gate keys (key strings made
 * beforehand, not counted). Run with {@code -XX:+UseSerialGC} for a steady reading:
 * {@code java -XX:+UseSerialGC -jar runlog-benchmarks.jar WindowMemory [--windows N]}.
 * Also prints the layout arithmetic (12-byte headers, compressed references, 8-byte alignment).
 */
public final class WindowMemory {
    private WindowMemory() {
    }

    public static void main(final String[] args) {
        int n = 500_000;
        for (int i = 0; i < args.length; i++) {
            if ("--windows".equals(args[i]) && i + 1 < args.length) {
                n = Integer.parseInt(args[++i].replace("_", ""));
            } else {
                System.err.println("usage: WindowMemory [--windows N]");
                System.exit(2);
            }
        }
        final WindowShape today = new WindowShape(12_000, 60_000, 40, 0);
        final WindowShape before = new WindowShape(12_000, 60_000, 6, 0);
        final Object[] keep = new Object[n];
        long base = usedHeap();
        for (int i = 0; i < n; i++) {
            keep[i] = new BaselineRollingWindow(before);
            ((BaselineRollingWindow) keep[i]).tryAcquire(1, 1);
        }
        final double perBaseline = (usedHeap() - base) / (double) n;
        java.util.Arrays.fill(keep, null);
        base = usedHeap();
        for (int i = 0; i < n; i++) {
            keep[i] = new RollingWindow(today);
            ((RollingWindow) keep[i]).tryAcquire(1, 1);
        }
        final double perToday = (usedHeap() - base) / (double) n;
        java.util.Arrays.fill(keep, null);
        System.out.printf(Locale.ROOT, "window, 6 sub-windows (before): %.1f heap bytes measured, %d by layout"
            + " (56-byte object + %d-byte array of 7 longs)%n", perBaseline, 56 + 16 + 7 * 8, 16 + 7 * 8);
        System.out.printf(Locale.ROOT, "window, 40 sub-windows (today): %.1f heap bytes measured, %d by layout"
            + " (56-byte object + %d-byte array of 41 longs)%n", perToday, 56 + 16 + 41 * 8, 16 + 41 * 8);
        final String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "api-key-" + i;
        }
        final long[] now = {1_700_000_000_000L};
        final IngestionGate gate = new IngestionGate(new RateLimits(), () -> now[0]);
        base = usedHeap();
        for (final String key : keys) {
            gate.tryAcquire(key, DataType.METRICS, 1);
        }
        final double metricsOnly = (usedHeap() - base) / (double) n;
        final IngestionGate all = new IngestionGate(new RateLimits(), () -> now[0]);
        base = usedHeap();
        for (final String key : keys) {
            all.submit(key, 1, 1, 1, 1);
        }
        final double everyType = (usedHeap() - base) / (double) n;
        System.out.printf(Locale.ROOT, "gate key (map entry included), today (windows made on first use): %.1f heap bytes"
            + " for a key that sent metrics only, %.1f for one that used all 4 types and submissions%n", metricsOnly, everyType);
        System.out.printf(Locale.ROOT, "gate key before (all 5 windows made at once, 6 sub-windows): %.1f"
            + " (today's every-type key minus 5 x the window difference measured above)%n",
            everyType - 5 * (perToday - perBaseline));
        System.out.println(gate.trackedKeys() + all.trackedKeys() + " keys, " + keep.length + " windows");
    }

    private static long usedHeap() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        final Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
