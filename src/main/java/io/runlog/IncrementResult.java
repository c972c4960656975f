package io.runlog;

/**
 * What {@link Experiment#exportIncrement} wrote.
 *
 * @param from     the mark the increment starts from (as given, with the experiment's source id)
 * @param to       the mark of a store that holds {@code from} and then imports this increment
 * @param bytes    the increment's size
 * @param points   metric points it holds
 * @param entries  parameter values, output lines, items and prompts it holds
 * @param complete true if it holds everything the experiment held after {@code from} when the
 *                 export began, for the data types asked for; false if a limit ended it first
 *                 (export again from {@code to} for the rest)
 */
public record IncrementResult(HighWaterMark from, HighWaterMark to, long bytes, long points, long entries,
                              boolean complete) {
    /** True if the increment holds no entry (the receiver already has everything asked for). */
    public boolean isEmpty() {
        return points == 0 && entries == 0;
    }
}
