package io.runlog.store;

import java.util.Arrays;

/**
 * Per metric, kept across batches: which value mode ({@link io.runlog.codec.ValueMode#journalCode})
 * the metric's next run is coded in without weighing, for {@link PointBatchWriter}. A run is
 * weighed (coded every way, the shortest kept) when its metric has no prediction yet (none of its
 * runs of at least {@link #MIN_PREDICTING_RUN} points was weighed) or had {@link #reweighEvery}
 * runs since it was last weighed; otherwise it is coded in the predicted mode alone, which saves
 * the drain most of the cost of a value. A prediction that fails (a value with no decimal form,
 * or no float32, or too many bytes) is {@link #forget forgotten}, so the next run is weighed.
 *
 * <p>Not thread-safe: used under the experiment lock.
 */
final class ValuePredictions {
    /** {@link #plan}: code the run every way and keep the shortest (the value modes are the other plans). */
    static final int PLAN_WEIGH = -1;
    /** A metric's runs are weighed every way again after this many runs coded in the predicted mode alone. */
    static final int REWEIGH_EVERY = 16;
    /** A weighed run of fewer points predicts nothing (its mode may be a tie, and weighing it costs little). */
    static final int MIN_PREDICTING_RUN = 64;
    /** {@link #predictedModeById} of a metric none of whose runs was weighed yet. */
    private static final int UNWEIGHED = -1;

    private final int reweighEvery;
    private int[] predictedModeById = filled(64, UNWEIGHED);
    private int[] runsSinceWeighedById = new int[64];

    /** @param reweighEvery runs coded in a predicted mode before the next is weighed; 0 weighs every run */
    ValuePredictions(final int reweighEvery) {
        if (reweighEvery < 0) {
            throw new IllegalArgumentException("reweighEvery must be at least 0, got " + reweighEvery);
        }
        this.reweighEvery = reweighEvery;
    }

    /** Room for metric ids below {@code n}. */
    void ensure(final int n) {
        if (predictedModeById.length < n) {
            final int size = Math.max(n, predictedModeById.length * 2);
            final int known = predictedModeById.length;
            predictedModeById = Arrays.copyOf(predictedModeById, size);
            Arrays.fill(predictedModeById, known, size, UNWEIGHED);
            runsSinceWeighedById = Arrays.copyOf(runsSinceWeighedById, size);
        }
    }

    /** The plan of metric {@code id}'s next run: {@link #PLAN_WEIGH}, or the value mode predicted. */
    int plan(final int id) {
        final int predicted = predictedModeById[id];
        return predicted == UNWEIGHED || runsSinceWeighedById[id] >= reweighEvery ? PLAN_WEIGH : predicted;
    }

    /** Metric {@code id}'s prediction failed: its next run is weighed. */
    void forget(final int id) {
        predictedModeById[id] = UNWEIGHED;
    }

    /**
     * After a batch is written: a weighed run's mode becomes its metric's prediction (if it had
     * {@link #MIN_PREDICTING_RUN} points), a predicted one counts as one more run in it.
     */
    void written(final int id, final int plan, final int count, final int mode) {
        if (plan == PLAN_WEIGH) {
            predictedModeById[id] = count >= MIN_PREDICTING_RUN ? mode : UNWEIGHED;
            runsSinceWeighedById[id] = 0;
        } else if (predictedModeById[id] != UNWEIGHED) {
            runsSinceWeighedById[id]++;
        }
    }

    private static int[] filled(final int n, final int value) {
        final int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
