package io.runlog.internal;

import io.runlog.ClosedException;
import io.runlog.Experiment;
import io.runlog.gate.DataType;
import io.runlog.gate.Submission;

/**
 * Internal: the four operations the {@link io.runlog.gate.IngestionGate} performs on an
 * {@link Experiment} that are not part of the experiment's public API (writing an admitted entry and
 * the throttle flag's bookkeeping).
 *
 * <p>Contract: {@link Experiment} installs the one implementation in its static initialiser, so it is
 * present whenever the gate holds an experiment instance (the class is initialised before any instance
 * exists). Nothing else may call {@link #install}. Not part of the public API; may change without
 * notice.
 */
public interface GateAccess {

    /** The exception an operation on the closed experiment throws. */
    ClosedException closedException(Experiment experiment);

    /** Writes one validated entry of an admitted submission. */
    void write(Experiment experiment, Submission.Entry entry);

    /** The gate admitted units of {@code type}: ends that type's throttling episode. */
    void throttleAdmitted(Experiment experiment, DataType type, long nowMillis);

    /** The gate throttled {@code units} of {@code type}: raises the flag; true if an episode begins. */
    boolean recordThrottle(Experiment experiment, DataType type, long nowMillis, long units);

    /** The installed implementation. */
    static GateAccess get() {
        return Holder.access;
    }

    /** Installs the implementation; called once, by {@link Experiment}'s static initialiser. */
    static void install(final GateAccess access) {
        if (Holder.access != null) {
            throw new IllegalStateException("GateAccess is installed once, by Experiment");
        }
        Holder.access = access;
    }

    /** Holds the installed implementation. */
    final class Holder {
        private static volatile GateAccess access;

        private Holder() {
        }
    }
}
