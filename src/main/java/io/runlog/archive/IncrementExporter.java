package io.runlog.archive;

import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.FileSystemFacade;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Internal: writes an increment (archive 1.2): an EXPERIMENT block, the METRICS block (every
 * metric of the cut, each with the number of points this increment holds of it), the INCREMENT
 * block (the bases: where each stream of the increment starts in the source's stream), then the
 * entries after the mark within the options' limits, THROTTLE, FOOTER. docs/format/archive.md.
 */
public final class IncrementExporter {
    private IncrementExporter() {
    }

    public static IncrementResult export(final ExperimentEngine engine, final FileSystemFacade fs, final OutputStream out,
                                         final HighWaterMark from, final IncrementOptions options, final long exportedAt) {
        throw new UnsupportedOperationException("increment export: next commit");
    }

    public static IncrementResult export(final ExperimentEngine engine, final FileSystemFacade fs, final Path file,
                                         final HighWaterMark from, final IncrementOptions options, final long exportedAt) {
        throw new UnsupportedOperationException("increment export: next commit");
    }

    /** The experiment's source id, created if it has none. */
    public static String sourceId(final ExperimentEngine engine, final FileSystemFacade fs) {
        return SourceIdentity.of(fs, engine.directory());
    }
}
