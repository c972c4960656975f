package io.runlog.store;

import io.runlog.CorruptStoreException;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The lasting record of ring slots that recovery skipped: {@code ring-loss.properties} in the
 * experiment's directory ({@code docs/format/store.md}), a checked metadata file
 * ({@link PropertiesFile}, format 2). Recovery of a ring left by a process that died appends the
 * intact committed slots and skips torn or damaged ones ({@link RingReport#skipped()}); their
 * points are lost. So that the loss stays reported after that open (by
 * {@code Experiment.skippedRingSlots()}, {@code runlog check}, {@code runlog status} and
 * {@code inspect}), each recovery that skipped slots adds them here <b>before</b> the ring is
 * deleted.
 *
 * <p><b>Guarantee.</b> The count never under-states the slots skipped since the record was last
 * moved aside: it is written (atomically, {@link AtomicFile}) before the ring goes, so a crash
 * between the two makes the next open scan the ring again and add again, an over-count, never an
 * under-count. {@code runlog check --repair} moves the file aside into the salvage directory (the
 * loss is then acknowledged in its {@code REPORT.txt}); nothing deletes it.
 *
 * <pre>
 * #runlog-properties 2
 * #ring slots skipped by recovery (their points are lost)
 * lastRing=RING REPORT          {@link RingReport#describe()} of the latest recovery that skipped slots
 * recoveries=K                  recoveries that skipped at least one slot
 * skippedSlots=N                slots skipped in all (torn, damaged, naming an undefined metric)
 * #crc32c=XXXXXXXX
 * </pre>
 */
final class RingLossRecord {
    static final String SKIPPED_SLOTS = "skippedSlots";
    static final String RECOVERIES = "recoveries";
    static final String LAST_RING = "lastRing";
    private static final String COMMENT = "ring slots skipped by recovery (their points are lost)";

    private RingLossRecord() {
    }

    /**
     * What the record of {@code experimentDir} holds.
     *
     * @param skippedSlots slots skipped in all
     * @param recoveries   recoveries that skipped at least one
     * @param lastRing     the latest such recovery's ring report
     */
    record Loss(long skippedSlots, long recoveries, String lastRing) {
        static final Loss NONE = new Loss(0, 0, "");
    }

    /**
     * The record, or {@link Loss#NONE} if there is none.
     *
     * @throws CorruptStoreException if the file is damaged (named)
     */
    static Loss read(final FileSystemFacade fs, final Path experimentDir) {
        final Path file = StoreLayout.ringLossFile(experimentDir);
        if (!fs.exists(file)) {
            return Loss.NONE;
        }
        final Properties p = PropertiesFile.read(fs, file);
        return new Loss(count(p, file, SKIPPED_SLOTS), count(p, file, RECOVERIES), p.getProperty(LAST_RING, ""));
    }

    /** Adds what {@code report} skipped (nothing if it skipped nothing). */
    static void add(final FileSystemFacade fs, final Path experimentDir, final RingReport report) {
        if (report == null || report.skipped() == 0) {
            return;
        }
        final Loss old = read(fs, experimentDir);
        final Properties p = new Properties();
        p.setProperty(SKIPPED_SLOTS, Long.toString(old.skippedSlots() + report.skipped()));
        p.setProperty(RECOVERIES, Long.toString(old.recoveries() + 1));
        p.setProperty(LAST_RING, report.describe());
        PropertiesFile.write(fs, StoreLayout.ringLossFile(experimentDir), p, COMMENT);
    }

    private static long count(final Properties p, final Path file, final String key) {
        final String v = PropertiesFile.require(p, file, key);
        try {
            final long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (final NumberFormatException e) {
            throw new CorruptStoreException(file + ": " + key + " is '" + v + "', not a count");
        }
    }
}
