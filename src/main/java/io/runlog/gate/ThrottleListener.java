package io.runlog.gate;

/**
 * Told once per throttling episode, experiment and data type (not once per rejected value), on the
 * thread whose submission opened the episode, after the submission was decided. Keep it short; an
 * exception it throws is counted ({@link IngestionGate#listenerFailures()}) and otherwise ignored:
 * it never changes the submission's answer.
 */
@FunctionalInterface
public interface ThrottleListener {
    void onThrottle(ThrottleNotice notice);
}
