/**
 * Metric sampling (issue 4), internal: the LTTB and MinMaxLTTB selectors on primitive arrays
 * ({@link io.runlog.sample.Lttb}, {@link io.runlog.sample.MinMaxLttb}), a metric's points sorted by
 * x and split into finite and non-finite ({@link io.runlog.sample.SortedPoints}), the rule that
 * turns them into a sampled series ({@link io.runlog.sample.SampleSelection}) and the bounded cache
 * that extends sorted points as new points arrive ({@link io.runlog.sample.SampleCache}). The
 * public API is {@code Experiment.sampledMetric} with {@code io.runlog.SampleQuery}; the rules are
 * in {@code docs/sampling.md}.
 */
package io.runlog.sample;
