package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.RunlogException;
import io.runlog.StoreAccessException;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code runlog check --repair}: salvages a damaged experiment that {@link StoreCheck} examined.
 * It keeps everything before the first damage, moves the damaged rest aside into
 * {@code <store>/salvage/<stamp>/<project>/<key>/}, never deletes anything, and writes
 * {@code REPORT.txt} there.
 *
 * <ul>
 *   <li><b>Journal</b> (a damaged record, or an item whose payload is damaged): the records before
 *       the first such record are copied byte for byte into a new journal, which takes the old one's
 *       place; the old journal, whole, is moved aside. A ring left beside a cut journal holds points
 *       logged after its end, so it is moved aside too.</li>
 *   <li><b>Payloads</b> that failed their check are moved aside (their item records are past the cut).</li>
 *   <li><b>Ring</b> with damaged slots (and an intact journal): copied aside, then recovered by
 *       opening the experiment once: recovery keeps the intact committed slots and skips the damaged.</li>
 *   <li><b>Ring loss</b> ({@code ring-loss.properties}, written by a recovery that skipped slots, this
 *       one's or an earlier one's): moved aside, acknowledging the loss in the report (those points
 *       cannot be recovered), so that the second check passes.</li>
 * </ul>
 * Then the {@link MarkRepair}s the caller passes (the CLI: import and ingest marks) bring the
 * marks kept in the experiment's directory down to what it still holds (docs/check.md, "Marks
 * after a repair").
 * A journal that cannot be read from its first record (or an unreadable experiment file) holds
 * nothing to keep: it is left in place and reported as not repaired.
 *
 * <p>Assumes what {@link StoreCheck} assumes: the store is held and the experiment is not open.
 */
public final class Salvage {
    /** What the repair of one experiment did. */
    public record Result(ExperimentCheck check, Path salvageDir, boolean repaired, List<String> actions) {
    }

    /**
     * Brings the marks another layer keeps in the experiment's directory (import marks of the archive
     * package, ingest marks of the CLI) in line with what the experiment holds after the repair, so
     * that a re-import, re-sync or re-ingest brings back what the repair lost. Called once, after the
     * repair opened the experiment again, with the length of every stream then ({@code cut}); it may
     * move files into {@code aside} and says what it did in {@code actions} (the report's lines).
     */
    public interface MarkRepair {
        void afterRepair(FileSystemFacade fs, Path experimentDir, ExperimentCut cut, Path aside, List<String> actions)
            throws IOException;
    }

    private Salvage() {
    }

    /** Repairs {@code c} (a damaged experiment) of {@code store}, with {@code stamp} naming the salvage directory. */
    public static Result repair(final StoreEngine store, final ExperimentCheck c, final String stamp) {
        return repair(store, c, stamp, List.of());
    }

    /**
     * As {@link #repair(StoreEngine, ExperimentCheck, String)}, then {@code marks} bring the marks
     * of imports and ingests down to what the experiment still holds (see {@link MarkRepair}).
     */
    public static Result repair(final StoreEngine store, final ExperimentCheck c, final String stamp,
                                final List<MarkRepair> marks) {
        final FileSystemFacade fs = StoreAccess.fileSystem(store.options());
        final Path aside = store.root().resolve(StoreLayout.SALVAGE_DIR).resolve(stamp).resolve(c.project).resolve(c.key);
        final List<String> actions = new ArrayList<>();
        boolean repaired = true;
        try {
            fs.createDirectories(aside);
            if (c.journalUnreadable) {
                actions.add("not repaired: nothing of the journal or experiment file is readable before the damage; left in place");
                repaired = false;
            } else {
                if (c.firstDamagedRecord != ExperimentCheck.NONE) {
                    cutJournal(store, c, aside, actions);
                } else if (c.manifestDamaged) {
                    try (Journal journal = Journal.open(StoreLayout.journalDir(c.dir), store.options().journalBlockSize(), fs)) {
                        CatalogRebuild.scan(journal, new ExperimentCatalog(), new ThrottleBook());
                        rewriteManifest(fs, c, aside, journal, fs.exists(StoreLayout.ringFile(c.dir)), actions);
                    }
                }
                for (final Path blob : c.damagedPayloads) {
                    if (fs.exists(blob)) {
                        final Path target = aside.resolve("blobs").resolve(blob.getFileName());
                        fs.createDirectories(target.getParent());
                        fs.moveAtomicallyNoReplace(blob, target);
                        actions.add("moved the damaged payload " + blob + " to " + target);
                    }
                }
                final Path ring = StoreLayout.ringFile(c.dir);
                if (c.ringUnreadable && fs.exists(ring)) {
                    final Path target = aside.resolve(ring.getFileName());
                    fs.moveAtomicallyNoReplace(ring, target);
                    actions.add("moved the ring, whose header is damaged (no slot of it can be read), to " + target);
                } else if (c.ringDamaged && fs.exists(ring)) {
                    final Path target = aside.resolve(ring.getFileName());
                    copy(fs, ring, target);
                    actions.add("copied the ring with damaged slots to " + target
                        + "; its intact committed slots are recovered into the journal, the damaged skipped");
                }
                // Opening recovers a ring and rebuilds what the store keeps of the experiment.
                final ExperimentEngine engine = store.acquire(store.experimentHeader(c.project, c.key));
                try {
                    final ExperimentCut cut = engine.syncAndCut();
                    if (!marks.isEmpty()) {
                        for (final MarkRepair m : marks) {
                            m.afterRepair(fs, c.dir, cut, aside, actions);
                        }
                    }
                } finally {
                    store.release(engine);
                    store.closeIfIdle(c.project, c.key); // closed again: a second check reads its files
                }
                // A ring loss (recorded before, or by the recovery just now) is acknowledged: the record moves aside.
                final Path loss = StoreLayout.ringLossFile(c.dir);
                if (fs.exists(loss)) {
                    String what;
                    try {
                        final RingLossRecord.Loss l = RingLossRecord.read(fs, c.dir);
                        what = l.skippedSlots() + " ring slots skipped by " + l.recoveries() + " recoveries, their points lost";
                    } catch (final RunlogException e) {
                        what = "damaged: " + e.getMessage();
                    }
                    final Path target = aside.resolve(loss.getFileName());
                    fs.moveAtomicallyNoReplace(loss, target);
                    actions.add("moved the record of ring slots recovery skipped (" + what + ") to " + target
                        + "; the points of those slots cannot be recovered");
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot salvage " + c.name() + " into " + aside + ": " + e.getMessage(), e);
        } catch (final RunlogException e) {
            actions.add("repair failed: " + e.getMessage());
            repaired = false;
        }
        writeReport(fs, c, aside, repaired, actions);
        return new Result(c, aside, repaired, actions);
    }

    /** The records before the first damaged one into a new journal, the old one moved aside whole. */
    private static void cutJournal(final StoreEngine store, final ExperimentCheck c, final Path aside,
                                   final List<String> actions) throws IOException {
        final FileSystemFacade fs = StoreAccess.fileSystem(store.options());
        final Path journalDir = StoreLayout.journalDir(c.dir);
        final Path fresh = c.dir.resolve(StoreLayout.SALVAGE_JOURNAL_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        long kept = 0;
        try (Journal from = Journal.open(journalDir, store.options().journalBlockSize(), fs);
             Journal to = Journal.open(fresh, store.options().journalBlockSize(), fs)) {
            from.rewind();
            long lastKept = -1;
            while (true) {
                final DocumentContext dc;
                try {
                    dc = from.next();
                } catch (final RunlogException e) {
                    if (lastKept + 1 >= c.firstDamagedRecord) {
                        break; // the damaged record itself: reading it fails its checks
                    }
                    throw e;
                }
                if (dc == null) {
                    break;
                }
                try (DocumentContext doc = dc) {
                    if (doc.index() >= c.firstDamagedRecord) {
                        break;
                    }
                    to.appendCopy(Journal.rawBytes(doc));
                    lastKept = doc.index();
                    kept++;
                }
            }
            to.force();
            rewriteManifest(fs, c, aside, to, false, actions);
        }
        final Path oldJournal = aside.resolve("journal");
        fs.moveAtomicallyNoReplace(journalDir, oldJournal);
        fs.moveAtomicallyNoReplace(fresh, journalDir);
        fs.forceDirectory(c.dir);
        actions.add("kept the " + kept + " journal records before record " + Long.toHexString(c.firstDamagedRecord)
            + " (the first damaged) in a new journal; moved the whole old journal to " + oldJournal);
        final Path ring = StoreLayout.ringFile(c.dir);
        if (fs.exists(ring)) {
            final Path target = aside.resolve(ring.getFileName());
            fs.moveAtomicallyNoReplace(ring, target);
            c.ringDamaged = false;
            actions.add("moved the ring (points logged after the cut) to " + target);
        }
    }

    /**
     * Moves the old manifest aside (if any) and writes one that describes {@code journal} as it
     * now is: the records a damaged cycle file lost, or a lost ring's points, are gone, and the
     * new manifest says so rather than refusing the experiment for ever.
     */
    private static void rewriteManifest(final FileSystemFacade fs, final ExperimentCheck c, final Path aside,
                                        final Journal journal, final boolean ringInUse, final List<String> actions)
        throws IOException {
        final Path old = StoreLayout.manifestFile(c.dir);
        if (fs.exists(old)) {
            final Path target = aside.resolve(old.getFileName());
            fs.moveAtomicallyNoReplace(old, target);
            actions.add("moved the journal manifest to " + target);
        }
        new JournalManifest(fs, c.dir).write(journal, ringInUse, true);
        actions.add("wrote a journal manifest for the journal as it now is" + (ringInUse ? " (a ring in use)" : ""));
    }

    private static void copy(final FileSystemFacade fs, final Path source, final Path target) throws IOException {
        final Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        fs.createDirectories(target.getParent());
        try (var in = fs.newInputStream(source);
             var out = java.nio.channels.Channels.newOutputStream(fs.open(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                 java.nio.file.StandardOpenOption.WRITE))) {
            in.transferTo(out);
        }
        fs.moveAtomically(tmp, target);
    }

    private static void writeReport(final FileSystemFacade fs, final ExperimentCheck c, final Path aside,
                                    final boolean repaired, final List<String> actions) {
        final StringBuilder b = new StringBuilder();
        b.append("runlog check --repair: ").append(c.name()).append(repaired ? " repaired" : " NOT repaired").append('\n');
        b.append("\nfound:\n");
        for (final CheckFinding f : c.findings) {
            b.append("  ").append(f.line()).append('\n');
        }
        b.append("\ndone:\n");
        for (final String a : actions) {
            b.append("  ").append(a).append('\n');
        }
        try {
            AtomicFile.write(fs, aside.resolve(StoreLayout.SALVAGE_REPORT), b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write the salvage report in " + aside + ": " + e.getMessage(), e);
        }
    }
}
