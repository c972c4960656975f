package io.runlog.archive;

/**
 * Internal: one entry of an archive's THROTTLE block, the experiment's throttle warning flag for
 * one data type.
 *
 * @param dataType    the data type's name (for example {@code METRICS})
 * @param firstMillis epoch milliseconds of its first throttle
 * @param lastMillis  epoch milliseconds of its last throttle
 * @param units       units of that type refused by throttling
 */
public record ThrottleEntry(String dataType, long firstMillis, long lastMillis, long units) {
}
