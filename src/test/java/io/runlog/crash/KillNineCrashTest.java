package io.runlog.crash;

import io.runlog.Experiment;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.RunlogStore;
import io.runlog.testing.ChildJvm;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The metric contract under {@code kill -9}: once {@code MetricHandle.log} returns, the point
 * survives the death of the process, exactly once, bit for bit, in order.
 *
 * <p>Each round starts a {@link CrashChild} that appends to the same experiment from two threads,
 * waits until the child's {@link CrashLedger} shows a random number of new acknowledgements,
 * SIGKILLs it, and then opens the store in this JVM and checks every series against the ledger:
 * every acknowledged point of every round present exactly once with its exact bits, per-thread
 * sequences contiguous and increasing, nothing that was never logged, and at most one point per
 * thread and metric beyond the ledger (the call the kill interrupted after its commit). Rounds
 * vary the child's mode (steady logging, or short chunks between closes and reopens of the
 * experiment or store), its ring capacity and the kill point. Some rounds verify a copy of the
 * killed store instead, so that the next child itself recovers the original before it logs.
 *
 * <p>{@code -Drunlog.crash.kills=N} sets the number of kills (default 24);
 * {@code -Drunlog.test.seed=S} replays a run (the seed is printed).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KillNineCrashTest {
    private static final String KEY = "killed-run";
    private static final CrashLedger.Phase[] OPEN_CLOSE_PHASES = {CrashLedger.Phase.OPENING_STORE,
        CrashLedger.Phase.OPENING_EXPERIMENT, CrashLedger.Phase.CLOSING_EXPERIMENT, CrashLedger.Phase.CLOSING_STORE};
    private static final int[] RING_CAPACITIES = {64, 1024, 1 << 15};
    private static final long BUDGET_PER_THREAD = 40_000;
    private static final int MAX_TARGET = 20_000;
    private static final Pattern CHILD_RECOVERED = Pattern.compile("recovered (\\d+) points");

    @TempDir
    Path dir;

    private long seed;
    private int round;

    @Test
    void shouldKeepEveryAcknowledgedPointExactlyOnceAcrossKillNine() throws IOException {
        seed = TestSeed.of("KillNineCrashTest");
        final int kills = Integer.getInteger("runlog.crash.kills", 24);
        System.out.println("KillNineCrashTest: " + kills + " kills (the seed replays modes, rings, targets and the"
            + " child's choices; kill instants depend on timing)");
        final SplittableRandom random = new SplittableRandom(seed);
        final Path store = dir.resolve("store");
        final long started = System.nanoTime();
        long recoveredTotal = 0;
        int beyondTotal = 0;
        int cycleRounds = 0;
        int killsInOpenOrClose = 0;
        int previousRing = 0;
        try (CrashLedger ledger = CrashLedger.map(dir.resolve("ledger"))) {
            for (round = 0; round < kills; round++) {
                final boolean cycle = round % 2 == 1;
                cycleRounds += cycle ? 1 : 0;
                final int ring = RING_CAPACITIES[random.nextInt(RING_CAPACITIES.length)];
                final long childSeed = random.nextLong();
                final int maxChunk = 1 + random.nextInt(2_000);
                // Log-uniform, so that kills land both before the first drain and deep into a run; a cycling
                // child logs about maxChunk points per close-and-reopen, so its target stays a few dozen cycles.
                final long maxIncrement = cycle ? Math.min(MAX_TARGET, 30L * maxChunk) : MAX_TARGET;
                final long increment = (long) Math.exp(random.nextDouble() * Math.log(maxIncrement)) + 1;
                final long target = ledger.total() + increment;
                // The last round always verifies in place, so the final state is checked as the store holds it.
                final boolean onCopy = round % 4 == 2 && round != kills - 1;

                ledger.phase(CrashLedger.Phase.STARTING);
                final long t0 = System.nanoTime();
                final ChildJvm.Child child = ChildJvm.of(CrashChild.class, dir)
                    .args(store, KEY, dir.resolve("ledger"), cycle ? "cycle" : "steady", ring, BUDGET_PER_THREAD,
                        childSeed, maxChunk)
                    .start();
                final String childRecovered;
                try (child) {
                    if (cycle) {
                        // Past the target, kill when the child is opening or closing (or idle, if it ran out).
                        final CrashLedger.Phase wanted = OPEN_CLOSE_PHASES[random.nextInt(OPEN_CLOSE_PHASES.length)];
                        child.await("ledger total " + target + " and phase " + wanted, Duration.ofSeconds(90),
                            () -> ledger.total() >= target && (ledger.phase() == wanted
                                || ledger.phase() == CrashLedger.Phase.IDLE));
                    } else {
                        child.await("ledger total " + target, Duration.ofSeconds(90), () -> ledger.total() >= target);
                    }
                    child.killNine();
                    final Matcher recovered = CHILD_RECOVERED.matcher(child.output());
                    childRecovered = recovered.find() ? recovered.group(1) : "-";
                }
                final long t1 = System.nanoTime();

                final CrashLedger.Phase killedIn = ledger.phase();
                killsInOpenOrClose += killedIn.isOpenOrClose() ? 1 : 0;
                final long[][] acked = new long[CrashPoints.THREADS][CrashPoints.METRICS];
                for (int t = 0; t < CrashPoints.THREADS; t++) {
                    for (int m = 0; m < CrashPoints.METRICS; m++) {
                        acked[t][m] = ledger.acknowledged(t, m);
                    }
                }
                final Path verified = onCopy ? copyOf(store) : store;
                final Verified v = verify(verified, acked);
                if (onCopy) {
                    deleteRecursively(verified);
                }
                for (int t = 0; t < CrashPoints.THREADS; t++) {
                    for (int m = 0; m < CrashPoints.METRICS; m++) {
                        ledger.rebase(t, m, v.lastSeq[t][m]);
                    }
                }
                // The ring recovered is this child's, or the previous one's if this child never got to replace it.
                check(v.recovered <= Math.max(ring, previousRing), prefix() + "recovered " + v.recovered
                    + " points from a ring of " + ring + " slots");
                previousRing = ring;
                recoveredTotal += v.recovered;
                beyondTotal += v.beyond;
                System.out.printf(Locale.ROOT, "round %2d: %-6s ring %5d, killed %-18s at +%5d acks (%6d in all),"
                        + " %d unacked stored, %5d recovered%s (child recovered %s); child %4d ms, open %3d ms"
                        + " + experiment %3d ms, verify %4d ms%n", round, cycle ? "cycle" : "steady", ring, killedIn,
                    increment, ledger.total(), v.beyond, v.recovered, onCopy ? " on a copy" : "", childRecovered,
                    ms(t1 - t0), ms(v.storeOpenNanos), ms(v.experimentOpenNanos), ms(System.nanoTime() - t1));
            }
        }
        System.out.printf(Locale.ROOT, "KillNineCrashTest: seed %d, %d kills (%d while opening or closing) in %d ms,"
            + " %d points recovered from rings, %d unacknowledged points found stored%n", seed, kills,
            killsInOpenOrClose, ms(System.nanoTime() - started), recoveredTotal, beyondTotal);
        assertTrue(cycleRounds > 0 || kills < 2, "no round closed and reopened in the child");
        assertTrue(killsInOpenOrClose > 0 || kills < 4, "no kill landed while the child opened or closed the store or"
            + " experiment (seed " + seed + ")");
        assertTrue(recoveredTotal > 0, "no round left points in a ring to recover: the test did not test recovery"
            + " (seed " + seed + ")");
    }

    private static final class Verified {
        final long[][] lastSeq = new long[CrashPoints.THREADS][CrashPoints.METRICS];
        long recovered;
        int beyond;
        long storeOpenNanos;
        long experimentOpenNanos;
    }

    private Verified verify(final Path storeDir, final long[][] acked) {
        final Verified v = new Verified();
        final long t0 = System.nanoTime();
        try (RunlogStore store = RunlogStore.open(storeDir)) {
            final long t1 = System.nanoTime();
            try (Experiment e = store.project(CrashPoints.PROJECT).openExperiment(KEY)) {
                v.experimentOpenNanos = System.nanoTime() - t1;
                v.storeOpenNanos = t1 - t0;
                v.recovered = e.recoveredPoints();
                final List<MetricInfo> metrics = e.metrics();
                long total = 0;
                for (int i = 0; i < metrics.size(); i++) {
                    final MetricInfo info = metrics.get(i);
                    check(info.name().equals(CrashPoints.metricName(i)), prefix() + "metric #" + i + " is " + info
                        + ", expected " + CrashPoints.metricName(i) + "; all: " + metrics);
                    total += info.count();
                }
                for (int m = 0; m < CrashPoints.METRICS; m++) {
                    if (m >= metrics.size()) {
                        for (int t = 0; t < CrashPoints.THREADS; t++) {
                            check(acked[t][m] == 0, prefix() + "metric " + CrashPoints.metricName(m)
                                + " is missing but thread " + t
                                + " acknowledged " + acked[t][m] + " points of it");
                        }
                        continue;
                    }
                    final MetricSeries series = e.readMetric(CrashPoints.metricName(m));
                    check(series.size() == metrics.get(m).count(),
                        prefix() + series + " disagrees with " + metrics.get(m));
                    verifySeries(m, series, acked, v);
                }
                check(e.pointCount() == total,
                    prefix() + "pointCount " + e.pointCount() + " != sum of metric counts " + total);
            }
        }
        return v;
    }

    private void verifySeries(final int m, final MetricSeries s, final long[][] acked, final Verified v) {
        final long[] lastByThread = new long[CrashPoints.THREADS];
        for (int i = 0; i < s.size(); i++) {
            final long step = s.step(i);
            final int t = CrashPoints.threadOf(step);
            final long seq = CrashPoints.seqOf(step);
            if (t < 0 || t >= CrashPoints.THREADS) {
                fail(where(m, i) + "step " + Long.toHexString(step)
                    + " names no logging thread: garbled or never logged");
            }
            if (seq != lastByThread[t] + 1) {
                fail(where(m, i) + "thread " + t + " seq " + seq + " follows seq " + lastByThread[t]
                    + (seq <= lastByThread[t] ? ": duplicated or reordered" : ": points lost in between")
                    + " (thread " + t + " acknowledged up to " + acked[t][m] + ")");
            }
            if (s.timestamp(i) != CrashPoints.timestamp(t, m, seq)) {
                fail(where(m, i) + "thread " + t + " seq " + seq + " has timestamp " + s.timestamp(i) + ", logged "
                    + CrashPoints.timestamp(t, m, seq));
            }
            final long expected = CrashPoints.valueBits(t, m, seq);
            if (s.valueBits(i) != expected) {
                fail(where(m, i) + "thread " + t + " seq " + seq + " has value bits " + Long.toHexString(s.valueBits(i))
                    + ", logged " + Long.toHexString(expected));
            }
            lastByThread[t] = seq;
        }
        for (int t = 0; t < CrashPoints.THREADS; t++) {
            final long stored = lastByThread[t];
            check(stored >= acked[t][m], where(m, -1) + "thread " + t + " acknowledged up to seq " + acked[t][m]
                + " but the store ends at seq " + stored + ": acknowledged points lost");
            check(stored <= acked[t][m] + 1, where(m, -1) + "thread " + t + " acknowledged up to seq " + acked[t][m]
                + " but the store holds up to " + stored + ": more than the one interrupted call");
            v.beyond += (int) (stored - acked[t][m]);
            v.lastSeq[t][m] = stored;
        }
    }

    private String where(final int m, final int index) {
        return prefix() + "metric " + CrashPoints.metricName(m) + (index >= 0 ? " point #" + index : "") + ": ";
    }

    private String prefix() {
        return "seed " + seed + ", round " + round + ": ";
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            fail(message);
        }
    }

    /** A byte copy of the killed store, as it lies on disk (ring, half-written journal and lock included). */
    private Path copyOf(final Path store) throws IOException {
        final Path copy = dir.resolve("copy-" + round);
        try (Stream<Path> walk = Files.walk(store)) {
            for (final Path p : (Iterable<Path>) walk::iterator) {
                final Path target = copy.resolve(store.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    private static void deleteRecursively(final Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (final Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static long ms(final long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
