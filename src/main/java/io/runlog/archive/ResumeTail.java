package io.runlog.archive;

/**
 * Internal, for resuming an import ({@link ArchiveImporter}): the entries the target holds past
 * a mark, matched in order against the archive's entries past the mark. An archive entry found
 * at or after the cursor was written by an earlier, crashed run of the import and is skipped;
 * the first one not found ends the matching.
 */
final class ResumeTail<D> {
    final D data;
    int cursor;
    boolean done;

    ResumeTail(final D data, final int from) {
        this.data = data;
        this.cursor = from;
    }

    boolean pending() {
        return !done;
    }

    interface Probe<D> {
        boolean equalAtCursor(D data);
    }

    /** Advances to the first equal entry at or after the cursor; false (and done) if none. */
    boolean match(final Probe<D> probe, final int size) {
        final int start = cursor;
        while (cursor < size) {
            if (probe.equalAtCursor(data)) {
                cursor++;
                return true;
            }
            cursor++;
        }
        cursor = start;
        done = true;
        return false;
    }
}
