package io.runlog.gate;

import io.runlog.InvalidValueException;
import io.runlog.MetricHandle;
import io.runlog.limit.KeyLimits;
import io.runlog.limit.RollingWindow;
import org.agrona.concurrent.EpochClock;

/**
 * One API key's rate limit for one data type, resolved once ({@link IngestionGate#handle}), like
 * a {@link MetricHandle}: a server that keeps per-connection state decides each request without
 * looking the key up. Same answers and guarantees as {@link IngestionGate#tryAcquire}; 0 B/op,
 * lock-free. Thread-safe.
 *
 * <p>If the gate evicted the key's state meanwhile (its windows had emptied), the handle notices
 * (the retire flag, read after its CAS) and resolves the key again: a handle never counts into a
 * state the gate forgot.
 */
public final class GateHandle {
    private final IngestionGate gate;
    private final EpochClock clock;
    private final String apiKey;
    private final int ordinal;
    private final DataType type;
    /** The key's state and its window of this type (null: unlimited); replaced after an eviction. */
    private volatile Resolved resolved;

    private record Resolved(KeyLimits state, RollingWindow window) {
    }

    GateHandle(final IngestionGate gate, final EpochClock clock, final String apiKey, final DataType type,
               final KeyLimits state) {
        this.gate = gate;
        this.clock = clock;
        this.apiKey = apiKey;
        this.type = type;
        this.ordinal = type.ordinal();
        this.resolved = new Resolved(state, state.windowFor(ordinal));
    }

    public String apiKey() {
        return apiKey;
    }

    public DataType type() {
        return type;
    }

    /**
     * Tries to admit {@code units} of this handle's type for its key. A refusal counts nothing.
     *
     * @param units how many; 0 asks for nothing and is admitted at once (0, nothing counted)
     * @return 0 if admitted, else the earliest epoch millisecond at which the same request is
     *         admitted if nothing else is, or {@link Admission#NEVER} if {@code units} exceeds
     *         the type's whole limit (split the request)
     * @throws InvalidValueException if {@code units} is negative
     */
    public long tryAcquire(final int units) {
        if (units < 0) {
            throw new InvalidValueException("units must be 0 or more, got " + units + " for " + type);
        }
        if (units == 0) {
            return 0;
        }
        final long now = clock.time();
        while (true) {
            final Resolved r = resolved;
            final RollingWindow window = r.window;
            if (window == null) {
                return 0;
            }
            final KeyLimits state = r.state;
            final long answer = state.decide(window, now, units);
            if (answer != KeyLimits.RETIRED) {
                return answer;
            }
            final KeyLimits fresh = gate.resolveAfterRetire(apiKey, state, now);
            resolved = new Resolved(fresh, fresh.windowFor(ordinal));
        }
    }

    @Override
    public String toString() {
        return "GateHandle[" + apiKey + ", " + type + "]";
    }
}
