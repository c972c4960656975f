package io.runlog;

/**
 * A metric of an experiment and how many points it holds.
 *
 * @param name  the metric's name
 * @param count points logged and acknowledged so far
 */
public record MetricInfo(String name, long count) {
}
