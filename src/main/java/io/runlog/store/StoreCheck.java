package io.runlog.store;

import io.runlog.internal.StoreAccess;
import io.runlog.Item;
import io.runlog.RunlogException;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runlog check}: verifies experiments of a closed store, reading every byte Runlog would
 * return, without changing anything (like Aeron's {@code ArchiveTool verify} or SQLite's
 * {@code integrity_check}).
 *
 * <p>For each experiment: the journal is scanned record by record as the catalog scan does (every
 * record's type, version and structure; from journal format 5 its CRC32C, where the build reads
 * that format); every run of every metric is decoded; every output line, item and prompt record is
 * decoded; every item payload is streamed and checked against its SHA-256 and length; a ring left
 * by a process that died is scanned slot by slot (format 2: its checks; damaged slots reported by
 * offset). What the store's formats cannot tell is said as a note: journal records of formats 1 to 4
 * and rings of format 1 carry no checksums.
 *
 * <p><b>Assumptions.</b> The caller holds the store (its {@link StoreEngine} is open, so no other
 * process writes it) and has none of the checked experiments open. Nothing is written; Chronicle may
 * map the journal's files read-write to read them, as every read does.
 *
 * <p>Damage becomes a {@link CheckFinding} naming the file and the record index or byte offset;
 * nothing but {@link RunlogException}s is expected, and anything else is reported as damage too
 * rather than escaping, so one experiment's state never stops the others from being checked.
 */
public final class StoreCheck {
    /** The first journal format whose records carry a checksum. */
    static final int FIRST_CHECKSUMMED_JOURNAL_VERSION = 5;
    /** The key of the {@link ExperimentCheck} that reports a project whose experiments cannot be listed. */
    public static final String PROJECT_ITSELF = "-";

    private StoreCheck() {
    }

    /**
     * Checks the experiments of {@code store}: all of them, those of {@code project} if it is not
     * null, or only {@code project/experiment}.
     */
    public static List<ExperimentCheck> run(final StoreEngine store, final String project, final String experiment) {
        final List<ExperimentCheck> out = new ArrayList<>();
        final List<String> projects = project == null ? store.projects() : List.of(project);
        for (final String p : projects) {
            final List<String> keys;
            try {
                keys = experiment == null ? store.experiments(p) : List.of(experiment);
            } catch (final RunlogException e) {
                final ExperimentCheck c = new ExperimentCheck(p, PROJECT_ITSELF, StoreLayout.projectDir(store.root(), p));
                c.damage(StoreLayout.projectFile(store.root(), p), message(e));
                c.journalUnreadable = true;
                out.add(c);
                continue;
            }
            for (final String k : keys) {
                out.add(experiment(store, p, k));
            }
        }
        return out;
    }

    /** Checks one experiment of {@code store}. */
    public static ExperimentCheck experiment(final StoreEngine store, final String project, final String key) {
        final Path dir = store.experimentDir(project, key);
        final ExperimentCheck c = new ExperimentCheck(project, key, dir);
        if (!store.closeIfIdle(project, key)) {
            c.damage(dir, "not checked: the experiment is open in this process");
            c.journalUnreadable = true;
            return c;
        }
        try {
            store.experimentHeader(project, key);
        } catch (final RunlogException e) {
            c.damage(StoreLayout.experimentFile(dir), e.getMessage());
            c.journalUnreadable = true;
            return c;
        }
        final FileSystemFacade fs = StoreAccess.fileSystem(store.options());
        final Path journalDir = StoreLayout.journalDir(dir);
        if (!fs.isDirectory(journalDir)) {
            c.damage(journalDir, "the journal directory is missing");
            c.journalUnreadable = true;
            return c;
        }
        final Journal journal;
        try {
            journal = Journal.open(journalDir, store.options().journalBlockSize(), fs);
        } catch (final RuntimeException e) {
            c.damage(journalDir, "cannot open the journal: " + message(e));
            c.journalUnreadable = true;
            return c;
        }
        try {
            final ExperimentCatalog catalog = new ExperimentCatalog();
            final boolean scanned = scan(c, journal, catalog);
            manifest(c, fs, journal, catalog, scanned);
            if (scanned) {
                metrics(c, journal, catalog);
                cold(c, journal, catalog.outputRecords(), "output line", ColdRecords::output);
                cold(c, journal, catalog.promptRecords(), "prompt", ColdRecords::prompt);
                items(c, journal, catalog, new BlobStore(StoreLayout.blobDir(dir), fs,
                    new DiskSpaceGuard(fs, dir, 0)));
                ring(c, fs, StoreLayout.ringFile(dir), catalog.ringEndPosition());
                ringLoss(c, fs, dir);
            } else if (fs.exists(StoreLayout.ringFile(dir))) {
                c.ringPresent = true;
                c.note(StoreLayout.ringFile(dir), "a ring is waiting to be recovered, but not checked: its journal is damaged");
            }
            if (c.records > c.checksummedRecords) {
                c.note(journalDir, (c.records - c.checksummedRecords) + " of its " + c.records
                    + " journal records are of format " + c.journalVersionMin
                    + (c.journalVersionMax != c.journalVersionMin ? " to " + c.journalVersionMax : "")
                    + " and carry no checksums (from format " + FIRST_CHECKSUMMED_JOURNAL_VERSION
                    + " every record does): they were checked for structure and decoded, so a changed value may go unseen");
            } else if (c.records > 0) {
                c.note(journalDir, "all " + c.records + " journal records passed their CRC32C");
            }
        } finally {
            journal.close();
        }
        return c;
    }

    /** The catalog scan, record by record; false if it failed (the rest of the journal is then unreadable). */
    private static boolean scan(final ExperimentCheck c, final Journal journal, final ExperimentCatalog catalog) {
        final long[] last = {-1};
        final CatalogRebuild.Progress progress = index -> {
            last[0] = index;
            c.records++;
            final RecordDecoder d = journal.decoder();
            if (d.checksummed()) {
                c.checksummedRecords++;
            }
            c.journalVersionMin = Math.min(c.journalVersionMin, d.version());
            c.journalVersionMax = Math.max(c.journalVersionMax, d.version());
        };
        try {
            CatalogRebuild.scan(journal, catalog, new ThrottleBook(), progress);
            if (catalog.header() == null) {
                c.damage(journal.dir(), "the journal holds no experiment header record");
                c.journalUnreadable = true;
                return false;
            }
            return true;
        } catch (final RuntimeException e) {
            if (last[0] >= 0) {
                c.damage(journal.dir(), message(e) + " (every record up to index " + Long.toHexString(last[0])
                    + " is intact; nothing after it can be read)");
                c.damagedRecord(last[0] + 1); // the first record after the last intact one
            } else {
                c.damage(journal.dir(), message(e) + " (before its first intact record)");
                c.journalUnreadable = true;
            }
            return false;
        }
    }

    /**
     * The journal manifest against what the scan could read: a missing or cut cycle file, records
     * hidden behind a damaged header, a lost ring, a missing or damaged manifest.
     */
    private static void manifest(final ExperimentCheck c, final FileSystemFacade fs, final Journal journal,
                                 final ExperimentCatalog catalog, final boolean scanned) {
        final JournalManifest manifest = new JournalManifest(fs, c.dir);
        try {
            final JournalManifest.Content known = manifest.read();
            if (scanned) {
                manifest.check(known, journal, catalog.headerVersion(), StoreLayout.ringFile(c.dir));
            }
        } catch (final RuntimeException e) {
            c.damage(manifest.file(), message(e));
            c.manifestDamaged = true;
        }
    }

    private static void metrics(final ExperimentCheck c, final Journal journal, final ExperimentCatalog catalog) {
        final MetricReader reader = new MetricReader(journal);
        long[] steps = new long[0];
        long[] timestamps = new long[0];
        long[] values = new long[0];
        for (int id = 0; id < catalog.metricCount(); id++) {
            final String name = catalog.metricName(id);
            final MetricExtents extents = catalog.extents(id);
            for (int i = 0; i < extents.size(); i++) {
                final int count = extents.runCount(i);
                if (steps.length < count) {
                    steps = new long[count];
                    timestamps = new long[count];
                    values = new long[count];
                }
                try {
                    reader.decode(name, extents, i, steps, timestamps, values, 0);
                    c.points += count;
                } catch (final RuntimeException e) {
                    c.damage(journal.dir(), message(e));
                    c.damagedRecord(extents.recordIndex(i));
                }
            }
        }
    }

    private interface Decode {
        Object apply(RecordDecoder d);
    }

    private static void cold(final ExperimentCheck c, final Journal journal, final LongArrayList indices, final String what,
                             final Decode decode) {
        for (int i = 0; i < indices.size(); i++) {
            final long index = indices.getLong(i);
            try {
                read(journal, index, decode);
            } catch (final RuntimeException e) {
                c.damage(journal.dir(), what + " " + i + ": " + message(e));
                c.damagedRecord(index);
            }
        }
    }

    private static Object read(final Journal journal, final long index, final Decode decode) {
        try (DocumentContext dc = journal.at(index)) {
            if (dc == null) {
                throw new io.runlog.CorruptStoreException("journal " + journal.dir() + " lost record " + Long.toHexString(index));
            }
            final RecordDecoder d = journal.decoder();
            d.type();
            return decode.apply(d);
        }
    }

    private static void items(final ExperimentCheck c, final Journal journal, final ExperimentCatalog catalog,
                              final BlobStore blobs) {
        final LongArrayList indices = catalog.itemRecords();
        final byte[] scratch = new byte[1 << 16];
        for (int i = 0; i < indices.size(); i++) {
            final long index = indices.getLong(i);
            final Item item;
            try {
                item = (Item) read(journal, index, ColdRecords::item);
            } catch (final RuntimeException e) {
                c.damage(journal.dir(), "item " + i + ": " + message(e));
                c.damagedRecord(index);
                continue;
            }
            try (InputStream in = blobs.open(item.sha256(), item.payloadLength())) {
                while (in.read(scratch) >= 0) {
                    // read to the end: the stream checks length and SHA-256 there
                }
                c.payloads++;
                c.payloadBytes += item.payloadLength();
            } catch (final IOException | RuntimeException e) {
                c.damage(blobs.path(item.sha256()), "payload of item " + i + " ('" + item.name() + "'): " + message(e));
                c.damagedPayloads.add(blobs.path(item.sha256()));
                c.damagedRecord(index);
            }
        }
    }

    private static void ring(final ExperimentCheck c, final FileSystemFacade fs, final Path file, final long from) {
        if (!fs.exists(file)) {
            return;
        }
        c.ringPresent = true;
        final PointRing ring;
        try {
            ring = PointRing.openForRecovery(file, fs);
        } catch (final RuntimeException e) {
            c.damage(file, message(e));
            c.ringDamaged = true;
            c.ringUnreadable = true;
            return;
        }
        try {
            final RingReport r = RingReport.scan(ring, from);
            if (r.damaged() > 0) {
                c.ringDamaged = true;
                c.damage(file, r.damaged() + " damaged or torn slots (first at offset " + r.firstDamagedOffset()
                    + "), which recovery will skip; " + r.describe());
            } else {
                c.note(file, "the experiment was not closed cleanly: " + r.committed()
                    + " committed points wait in its ring and are recovered when it is next opened"
                    + (r.version() < PointRingLayout.VERSION ? "; ring format " + r.version() + " has no slot checks" : ""));
            }
        } finally {
            ring.unmap();
        }
    }

    /**
     * A recorded ring loss ({@link RingLossRecord}) is damage: points were lost when a ring left by
     * a process that died was recovered. {@code --repair} acknowledges it by moving the record aside.
     */
    private static void ringLoss(final ExperimentCheck c, final FileSystemFacade fs, final Path dir) {
        final Path file = StoreLayout.ringLossFile(dir);
        try {
            final RingLossRecord.Loss loss = RingLossRecord.read(fs, dir);
            if (loss.skippedSlots() > 0) {
                c.ringLoss = true;
                c.damage(file, loss.skippedSlots() + " ring slots were skipped by " + loss.recoveries()
                    + " recoveries (torn or damaged; their points are lost); the latest: " + loss.lastRing());
            }
        } catch (final RuntimeException e) {
            c.ringLoss = true;
            c.damage(file, message(e));
        }
    }

    static String message(final Throwable e) {
        if (e instanceof RunlogException) {
            return e.getMessage();
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
