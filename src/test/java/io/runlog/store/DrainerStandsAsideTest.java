package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The drainer leaves alone the rings whose producers drain them themselves once there are as
 * many of those as cores, and drains them again once their producers slow down. The store runs
 * without its drainer thread; the test drives a {@link Drainer} of its own, one cycle at a time,
 * on a clock it moves by hand.
 */
class DrainerStandsAsideTest {
    private static final int CAPACITY = 4096;
    private static final long WINDOW = ProducerPace.WINDOW_NANOS;

    @TempDir
    Path dir;

    private final long[] now = {1_000};
    private RunlogStore store;
    private final List<Experiment> experiments = new ArrayList<>();
    private final List<ExperimentEngine> engines = new ArrayList<>();
    private final List<MetricHandle> handles = new ArrayList<>();
    private final List<long[]> steps = new ArrayList<>();

    @BeforeEach
    void open() {
        store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0).backgroundDrain(false).ringCapacity(CAPACITY));
        for (int i = 0; i < 2; i++) {
            final Experiment e = store.createProject("p" + i, ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e");
            experiments.add(e);
            handles.add(e.metric("m"));
            engines.add(StoreAccess.engine(store).acquire(StoreAccess.engine(store).experimentHeader("p" + i, "e")));
            steps.add(new long[1]);
        }
    }

    @AfterEach
    void close() {
        engines.forEach(StoreAccess.engine(store)::release);
        experiments.forEach(Experiment::close);
        store.close();
    }

    private Drainer drainer(final int cores) {
        final Drainer d = new Drainer(() -> now[0], cores);
        engines.forEach(e -> d.register(e.points()));
        return d;
    }

    /** Logs past a full ring, so that the producer drains a batch itself. */
    private void saturate(final int i) {
        logPoints(i, CAPACITY + CAPACITY / 2);
    }

    private void logPoints(final int i, final int n) {
        final long[] step = steps.get(i);
        for (int k = 0; k < n; k++) {
            handles.get(i).log(step[0], step[0], step[0] * 0.5);
            step[0]++;
        }
    }

    private long waiting(final int i) {
        final PointRing ring = engines.get(i).ring();
        return ring.tail() - ring.head();
    }

    /** Saturates ring {@code i} from a thread of its own (a producer), waiting for it to finish. */
    private void saturateFromAnotherThread(final int i) {
        final Thread producer = new Thread(() -> saturate(i), "producer-" + i);
        producer.start();
        try {
            producer.join();
        } catch (final InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldStandAsideWhileAsManyProducersAsCoresDrainTheirOwnRings() {
        final Drainer d = drainer(2);
        saturate(0);
        saturateFromAnotherThread(1);
        assertTrue(d.doWork() > 0, "the first cycle to see them drains, then knows both producers drain themselves");
        saturate(0);
        saturateFromAnotherThread(1);
        final long w0 = waiting(0);
        final long w1 = waiting(1);
        assertTrue(w0 >= CAPACITY / 4 && w1 >= CAPACITY / 4, "a batch's worth waits in each ring");
        assertEquals(0, d.doWork(), "two self-draining producers on two cores: stand aside");
        assertEquals(w0, waiting(0));
        assertEquals(w1, waiting(1));

        now[0] += WINDOW; // no producer drained within the window: they have slowed down
        assertTrue(d.doWork() > 0, "the drainer takes over again");
        assertTrue(waiting(0) < w0 && waiting(1) < w1);
        for (int i = 0; i < 2; i++) {
            assertEquals(steps.get(i)[0], experiments.get(i).pointCount(), "every point stored once");
        }
    }

    @Test
    void shouldKeepDrainingWhenOneThreadDrainsAsManyRingsAsCores() {
        final Drainer d = drainer(2);
        saturate(0);
        saturate(1); // the same producer thread: it takes one core, the other is free for the drainer
        d.doWork();
        saturate(0);
        saturate(1);
        final long w0 = waiting(0);
        final long w1 = waiting(1);
        assertTrue(d.doWork() > 0, "one self-draining thread on two cores: the drainer works on the other core");
        assertTrue(waiting(0) < w0 && waiting(1) < w1);
    }

    @Test
    void shouldKeepDrainingWhileFewerProducersThanCoresDrainTheirOwnRings() {
        final Drainer d = drainer(2);
        saturate(0);
        d.doWork();
        saturate(0);
        final long w0 = waiting(0);
        assertTrue(d.doWork() > 0, "one self-draining producer on two cores: the drainer works on the other core");
        assertTrue(waiting(0) < w0);
    }

    @Test
    void shouldStandAsideFromAOneCoreProducerButDrainTheRingsOfSlowerOnes() {
        final Drainer d = drainer(1);
        saturate(0);
        d.doWork();
        saturate(0);
        logPoints(1, CAPACITY / 4); // a slower producer: its ring stays under half full
        final long w0 = waiting(0);
        final long w1 = waiting(1);
        assertTrue(w1 > 0);
        assertEquals(w1, d.doWork(), "only the slower producer's ring is drained");
        assertEquals(w0, waiting(0));
        assertEquals(0, waiting(1));
    }

    @Test
    void shouldStandAsideFromRingsKeptHalfFullByAsManyProducersAsCoresUntilTheyStop() {
        final Drainer d = drainer(2);
        logPoints(0, CAPACITY * 3 / 4); // faster than the drain, but the drainer keeps the rings from filling
        logPoints(1, CAPACITY * 3 / 4);
        assertTrue(d.doWork() > 0, "the first cycle to see them drains, then knows both outpace it");
        logPoints(0, CAPACITY * 3 / 4);
        logPoints(1, CAPACITY * 3 / 4);
        final long w0 = waiting(0);
        final long w1 = waiting(1);
        assertEquals(0, d.doWork(), "two rings at least half full and growing, on two cores: stand aside");
        assertEquals(w0, waiting(0));
        assertEquals(w1, waiting(1));
        assertTrue(d.doWork() > 0, "the producers stopped (no new claims): their rings are drained");
        assertEquals(0, waiting(0));
        assertEquals(0, waiting(1));
    }

    @Test
    void shouldDrainRingsKeptHalfFullAgainOnceTheirProducersSlowToATrickle() {
        final Drainer d = drainer(2);
        logPoints(0, CAPACITY * 3 / 4);
        logPoints(1, CAPACITY * 3 / 4);
        d.doWork();
        logPoints(0, CAPACITY * 3 / 4);
        logPoints(1, CAPACITY * 3 / 4);
        assertEquals(0, d.doWork(), "two rings at least half full and growing, on two cores: stand aside");
        // The producers slow to one point per ring per look, a drain-delay apart: a rate any drain
        // keeps up with. Their rings stay at least half full only because the drainer stands
        // aside; it must take them again (they never fill, so no producer drains them itself).
        final long w0 = waiting(0);
        int drained = 0;
        int cycles = 0;
        while (drained == 0 && cycles < CAPACITY / 8) {
            logPoints(0, 1);
            logPoints(1, 1);
            now[0] += RingDrain.MAX_DRAIN_DELAY_NANOS;
            drained = d.doWork();
            cycles++;
        }
        assertTrue(drained > 0, "the drainer still stands aside after " + cycles + " looks at trickling producers, "
            + waiting(0) + " points waiting (" + w0 + " when it stood aside)");
        assertTrue(waiting(0) < CAPACITY / 2 && waiting(1) < CAPACITY / 2);
    }

    @Test
    void shouldStandAsideFromAsManyProducersAsCoresClaimingAtASaturatedRateUntilTheySlowDown() {
        final Drainer d = drainer(2);
        final long window = ProducerPace.RATE_WINDOW_NANOS;
        final int saturated = (int) (ProducerPace.SATURATED_POINTS_PER_SECOND * window / 1e9); // points per window at that rate
        d.doWork(); // starts the rate windows
        now[0] += window;
        logPoints(0, saturated); // rings stay under half full: only the rate tells
        logPoints(1, saturated);
        assertTrue(d.doWork() > 0, "the first cycle to see the rates drains, then knows both producers are saturated");
        now[0] += window;
        logPoints(0, saturated);
        logPoints(1, saturated);
        final long w0 = waiting(0);
        final long w1 = waiting(1);
        assertEquals(0, d.doWork(), "two producers at a saturated rate on two cores: stand aside");
        assertEquals(w0, waiting(0));
        assertEquals(w1, waiting(1));
        now[0] += WINDOW; // a millisecond later (past every earlier sighting's window), at a trickle
        logPoints(0, 50);
        logPoints(1, 50);
        assertTrue(d.doWork() > 0, "the slower rates seen, the drainer drains again");
        assertTrue(waiting(0) < w0 && waiting(1) < w1);
    }

    @Test
    void shouldCountProducersClaimingAtASaturatedRateAsOutpacingTheDrainEvenWithAnEmptyRing() {
        final ExperimentEngine engine = engines.get(0);
        final long window = ProducerPace.RATE_WINDOW_NANOS;
        final int saturated = (int) (ProducerPace.SATURATED_POINTS_PER_SECOND * window / 1e9);
        assertFalse(engine.points().producersOutpaceTheDrain(now[0]), "the first look starts the rate window");
        logPoints(0, saturated);
        experiments.get(0).pointCount(); // a read drains the ring: nothing waits, nothing half full, no self-drain
        assertEquals(0, waiting(0));
        now[0] += window;
        assertTrue(engine.points().producersOutpaceTheDrain(now[0]), "claimed at the saturated rate over the window");
        logPoints(0, saturated / 10);
        experiments.get(0).pointCount();
        now[0] += window;
        assertFalse(engine.points().producersOutpaceTheDrain(now[0]), "a tenth of that rate: not saturated");
    }

    @Test
    void shouldRefuseFewerThanOneCore() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Drainer(() -> 0, 0));
        assertTrue(e.getMessage().contains("cores"), e.getMessage());
    }
}
