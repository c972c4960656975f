package io.runlog.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link StoreCheck} found in one experiment, with what {@link Salvage} needs to repair it:
 * the first journal record that is damaged (or whose item's payload is), the damaged payload files
 * and whether the ring is damaged.
 */
public final class ExperimentCheck {
    /** {@link #firstDamagedRecord()} when no record is damaged. */
    public static final long NONE = Long.MAX_VALUE;

    final String project;
    final String key;
    final Path dir;
    final List<CheckFinding> findings = new ArrayList<>();
    final List<Path> damagedPayloads = new ArrayList<>();
    /** Journal index of the first damaged record (or of the ITEM record of the first damaged payload). */
    long firstDamagedRecord = NONE;
    /** The journal could not be opened or read from its start: nothing of it can be salvaged by copying. */
    boolean journalUnreadable;
    boolean ringPresent;
    boolean ringDamaged;
    /** The journal manifest is damaged, missing, or disagrees with the journal or the ring. */
    boolean manifestDamaged;
    /** {@code ring-loss.properties} records ring slots that recovery skipped (or is damaged). */
    boolean ringLoss;
    /** The ring's header is damaged: no slot of it can be recovered. */
    boolean ringUnreadable;
    long records;
    long checksummedRecords;
    long points;
    long payloads;
    long payloadBytes;
    int journalVersionMin = Integer.MAX_VALUE;
    int journalVersionMax;

    ExperimentCheck(final String project, final String key, final Path dir) {
        this.project = project;
        this.key = key;
        this.dir = dir;
    }

    public String name() {
        return project + "/" + key;
    }

    public List<CheckFinding> findings() {
        return findings;
    }

    public boolean damaged() {
        return findings.stream().anyMatch(CheckFinding::damage);
    }

    public long firstDamagedRecord() {
        return firstDamagedRecord;
    }

    public long records() {
        return records;
    }

    public long points() {
        return points;
    }

    public long payloads() {
        return payloads;
    }

    void damage(final Path file, final String what) {
        findings.add(new CheckFinding(true, name(), file, what));
    }

    void note(final Path file, final String what) {
        findings.add(new CheckFinding(false, name(), file, what));
    }

    /** Records the record at {@code index} as damaged; the first in journal order is kept. */
    void damagedRecord(final long index) {
        firstDamagedRecord = Math.min(firstDamagedRecord, index);
    }
}
