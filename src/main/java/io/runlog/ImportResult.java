package io.runlog;

/**
 * What {@link RunlogStore#importArchive(java.nio.file.Path)} did. An entry is one metric point,
 * parameter value, output line, item or prompt.
 *
 * @param project            the target project
 * @param experiment         the target experiment's key
 * @param createdExperiment  true if the import created the experiment
 * @param pointsAdded        metric points written by this import
 * @param pointsSkipped      metric points the target already held from this source
 * @param otherAdded         parameter values, output lines, items and prompts written
 * @param otherSkipped       parameter values, output lines, items and prompts already held
 * @param mark               what the target holds of the archive's source after the import (durable:
 *                           written only after the data it counts was synced); the sync server
 *                           answers it (docs/sync.md)
 */
public record ImportResult(String project, String experiment, boolean createdExperiment, long pointsAdded,
                           long pointsSkipped, long otherAdded, long otherSkipped, HighWaterMark mark) {
    public ImportResult {
        if (mark == null) {
            mark = HighWaterMark.EMPTY;
        }
    }

    /** Without a mark ({@link HighWaterMark#EMPTY}). */
    public ImportResult(final String project, final String experiment, final boolean createdExperiment,
                        final long pointsAdded, final long pointsSkipped, final long otherAdded, final long otherSkipped) {
        this(project, experiment, createdExperiment, pointsAdded, pointsSkipped, otherAdded, otherSkipped, null);
    }

    /** Every entry written by this import. */
    public long added() {
        return pointsAdded + otherAdded;
    }

    /** Every entry of the archive the target already held. */
    public long skipped() {
        return pointsSkipped + otherSkipped;
    }
}
