package io.runlog;

import io.runlog.store.ExperimentEngine;
import io.runlog.store.PointRing;
import io.runlog.store.PointRingLayout;
import org.agrona.concurrent.EpochClock;

/**
 * A metric of an open experiment, resolved once by {@link Experiment#metric(String)}: the hot
 * path of Runlog.
 *
 * <p><b>Contract.</b> {@code log} is lock-free, allocation-free, thread-safe (any number of
 * threads may log through the same or different handles), and costs tens of nanoseconds. Once it
 * returns, the point is in the experiment's memory-mapped ring and survives {@code kill -9} of
 * the process; {@link Experiment#sync()} extends that to an operating-system crash. Points of one
 * metric are stored in the order their {@code log} calls claimed ring positions (arrival order);
 * steps may repeat or go backwards, nothing is reordered or dropped. The value is stored bit for
 * bit (NaN payloads, infinities, -0.0 and subnormals included).
 *
 * <p>It blocks only when the ring is full (the background drainer is behind): it then helps
 * drain. It throws {@link ClosedException} once its experiment is closed and
 * {@link StorageFullException} if the ring is full and the disk is too.
 */
public final class MetricHandle {
    private final Experiment experiment;
    private final ExperimentEngine engine;
    private final PointRing ring;
    private final EpochClock clock;
    private final int metricId;
    private final String name;

    MetricHandle(final Experiment experiment, final ExperimentEngine engine, final PointRing ring,
                 final EpochClock clock, final int metricId, final String name) {
        this.experiment = experiment;
        this.engine = engine;
        this.ring = ring;
        this.clock = clock;
        this.metricId = metricId;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Logs a point stamped with the store's clock. */
    public void log(final long step, final double value) {
        log(step, clock.time(), value);
    }

    /** Logs a point with an explicit timestamp in epoch milliseconds. */
    public void log(final long step, final long timestamp, final double value) {
        if (experiment.closed) {
            throw experiment.closedException();
        }
        final PointRing ring = this.ring;
        final long bits = Double.doubleToRawLongBits(value);
        final int fields = PointRingLayout.fieldsHash(metricId, step, timestamp, bits); // before the claim: off its path
        long position = ring.tryClaim();
        if (position < 0) {
            position = engine.claimSlow(ring, position);
        }
        ring.commit(position, metricId, step, timestamp, bits, fields);
    }

    @Override
    public String toString() {
        return "MetricHandle[" + name + "]";
    }
}
