package io.runlog.store;

import java.nio.file.Path;

/**
 * One thing {@code runlog check} found ({@link StoreCheck}).
 *
 * @param damage     true for damage (the check fails), false for a note (a fact worth knowing:
 *                   no checksums in old formats, a ring waiting to be recovered)
 * @param experiment {@code project/key}, or empty for the store itself
 * @param file       the file or directory concerned
 * @param what       what was found, naming the offset or record index where there is one
 */
public record CheckFinding(boolean damage, String experiment, Path file, String what) {
    /** One line: {@code DAMAGE p/e: file: what} or {@code note ...}. */
    public String line() {
        return (damage ? "DAMAGE " : "note   ") + (experiment.isEmpty() ? "" : experiment + ": ") + file + ": " + what;
    }
}
