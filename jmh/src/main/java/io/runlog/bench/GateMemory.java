package io.runlog.bench;

import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;

import java.util.Locale;

/**
 * Heap bytes per API key of the ingestion gate (four data types and submissions per key): the
 * heap after full GCs, before and after one request from each of N keys (default one million);
 * the key strings are made beforehand and not counted. Run with {@code -XX:+UseSerialGC} for a
 * steady reading: {@code java -XX:+UseSerialGC -jar runlog-benchmarks.jar GateMemory [--keys N]}.
 */
public final class GateMemory {
    private GateMemory() {
    }

    public static void main(final String[] args) {
        int n = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            if ("--keys".equals(args[i]) && i + 1 < args.length) {
                n = Integer.parseInt(args[++i].replace("_", ""));
            } else {
                System.err.println("usage: GateMemory [--keys N]");
                System.exit(2);
            }
        }
        final long[] now = {1_700_000_000_000L};
        final IngestionGate gate = new IngestionGate(new RateLimits(), () -> now[0]);
        final String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "api-key-" + i;
        }
        final long before = usedHeap();
        for (final String key : keys) {
            gate.tryAcquire(key, DataType.METRICS, 1);
        }
        final long after = usedHeap();
        System.out.printf(Locale.ROOT, "%,d keys tracked: %.1f heap bytes per key (each sent metrics only: windows are made on first use; WindowMemory measures a key using every type)%n",
            gate.trackedKeys(), (after - before) / (double) n);
    }

    private static long usedHeap() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        final Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
