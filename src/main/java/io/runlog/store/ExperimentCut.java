package io.runlog.store;

import io.runlog.MetricInfo;

import java.util.List;
import java.util.Map;

/**
 * Internal: the length of every append-only stream of an experiment at one instant, taken under
 * the experiment lock after draining the ring ({@link ExperimentEngine#cut()}). Every stream only
 * grows, so reading each one later and keeping its first entries gives a consistent prefix of
 * the experiment: what archive exports and imports work with.
 *
 * @param metrics         metrics in definition order with their point counts
 * @param parameterValues parameter names in order of first logging, with the number of values each took
 * @param outputLines     output lines logged
 * @param items           items logged
 * @param prompts         prompts logged
 */
public record ExperimentCut(List<MetricInfo> metrics, Map<String, Integer> parameterValues, int outputLines,
                            int items, int prompts) {
}
