package io.runlog.store;

import java.nio.file.Path;

/**
 * Internal: every file and directory name of a store, and where each lives. Nothing else in
 * Runlog spells a name of a store's file; formats are specified in {@code docs/format/store.md}
 * (metadata files), {@code journal.md} and {@code point-ring.md}.
 *
 * <pre>
 * STORE/
 *   runlog-store.properties                     format.version, created            {@link #STORE_FILE}
 *   runlog.lock                                 flock held while a process has it open
 *   projects/                                   {@link #PROJECTS_DIR}
 *     .tmp-NAME-HEX/                            a project or experiment being created
 *     P/project.properties                      kind, created
 *     P/experiments/K/                          one experiment ({@link #experimentDir})
 *       experiment.properties                   key, created, offline
 *       journal/                                Chronicle Queue: yyyyMMdd'F'.cq4 cycle files, metadata.cq4t
 *       journal.manifest                        cycle files and record counts at the last close or sync {@link #MANIFEST_FILE}
 *       journal.manifest.tmp                    a manifest being written
 *       points.ring                             point ring, only while open or after a crash
 *       points.ring.tmp                         a ring being created
 *       ring-loss.properties                    ring slots recovery skipped (their points lost) {@link #RING_LOSS_FILE}
 *       blobs/SHA256                            item payloads; blobs/tmp-HEX while being written
 *       archive-source.id                       the identity this experiment exports under
 *       archive-imports/SOURCE.mark             import high-water marks, one file per source
 *       ingest-marks/SHA256.mark                resumable CSV ingest ({@code runlog ingest})
 *       .salvage-journal-HEX/                   a journal being rebuilt by {@code runlog check --repair}
 *   salvage/STAMP/P/K/                          what {@code runlog check --repair} moved aside ({@link #SALVAGE_DIR})
 *     REPORT.txt                                what it found and did
 *     journal/  blobs/SHA256  points.ring       the damaged originals, never deleted
 * </pre>
 *
 * A metadata file is written whole under a hidden temporary sibling ({@code .NAME.tmp-HEX},
 * see {@link OutputFile}) and renamed into place.
 */
public final class StoreLayout {
    /** The store's own metadata file; its presence marks a directory as a store. */
    public static final String STORE_FILE = "runlog-store.properties";
    /** Held with {@code flock} while a process has the store open. */
    public static final String LOCK_FILE = "runlog.lock";
    public static final String PROJECTS_DIR = "projects";
    public static final String EXPERIMENTS_DIR = "experiments";
    public static final String PROJECT_FILE = "project.properties";
    public static final String EXPERIMENT_FILE = "experiment.properties";
    /** Prefix of a project or experiment directory being created (renamed into place when complete). */
    public static final String CREATING_PREFIX = ".tmp-";

    /** The experiment's Chronicle Queue directory. */
    public static final String JOURNAL_DIR = "journal";
    /** Suffix of a Chronicle cycle file in {@link #JOURNAL_DIR}. */
    public static final String CYCLE_FILE_SUFFIX = ".cq4";
    /** Chronicle's metadata table in {@link #JOURNAL_DIR}. */
    public static final String JOURNAL_METADATA_FILE = "metadata.cq4t";
    /** The journal's manifest in the experiment directory ({@link ManifestDescriptor}). */
    public static final String MANIFEST_FILE = "journal.manifest";
    /** Suffix of the temporary name a manifest is written under before it is renamed to {@link #MANIFEST_FILE}. */
    public static final String MANIFEST_TMP_SUFFIX = ".tmp";
    public static final String RING_FILE = "points.ring";
    /** Ring slots recovery skipped, in the experiment directory ({@link RingLossRecord}). */
    public static final String RING_LOSS_FILE = "ring-loss.properties";
    /** Suffix of the temporary name a ring is written under before it is renamed to {@link #RING_FILE}. */
    public static final String RING_TMP_SUFFIX = ".tmp";
    public static final String BLOB_DIR = "blobs";
    /** Prefix of a payload being written in {@link #BLOB_DIR} (renamed to its SHA-256 when complete). */
    public static final String BLOB_TMP_PREFIX = "tmp-";
    public static final String SOURCE_ID_FILE = "archive-source.id";
    public static final String IMPORT_MARKS_DIR = "archive-imports";
    public static final String INGEST_MARKS_DIR = "ingest-marks";
    /** Suffix of an import or ingest mark file. */
    public static final String MARK_SUFFIX = ".mark";
    /** Where {@code runlog check --repair} moves damaged files, under the store's root. */
    public static final String SALVAGE_DIR = "salvage";
    /** The report {@code runlog check --repair} writes in each experiment's salvage directory. */
    public static final String SALVAGE_REPORT = "REPORT.txt";
    /** Prefix of a journal being rebuilt from the intact records of a damaged one, in the experiment directory. */
    public static final String SALVAGE_JOURNAL_PREFIX = ".salvage-journal-";

    private StoreLayout() {
    }

    public static Path storeFile(final Path root) {
        return root.resolve(STORE_FILE);
    }

    public static Path lockFile(final Path root) {
        return root.resolve(LOCK_FILE);
    }

    public static Path projectsDir(final Path root) {
        return root.resolve(PROJECTS_DIR);
    }

    public static Path projectDir(final Path root, final String project) {
        return projectsDir(root).resolve(project);
    }

    public static Path projectFile(final Path root, final String project) {
        return projectDir(root, project).resolve(PROJECT_FILE);
    }

    public static Path experimentsDir(final Path root, final String project) {
        return projectDir(root, project).resolve(EXPERIMENTS_DIR);
    }

    public static Path experimentDir(final Path root, final String project, final String key) {
        return experimentsDir(root, project).resolve(key);
    }

    /** {@code experiment.properties} in an experiment's directory. */
    public static Path experimentFile(final Path experimentDir) {
        return experimentDir.resolve(EXPERIMENT_FILE);
    }

    public static Path manifestFile(final Path experimentDir) {
        return experimentDir.resolve(MANIFEST_FILE);
    }

    public static Path journalDir(final Path experimentDir) {
        return experimentDir.resolve(JOURNAL_DIR);
    }

    public static Path ringFile(final Path experimentDir) {
        return experimentDir.resolve(RING_FILE);
    }

    /** {@code ring-loss.properties}: ring slots recovery skipped ({@link RingLossRecord}). */
    public static Path ringLossFile(final Path experimentDir) {
        return experimentDir.resolve(RING_LOSS_FILE);
    }

    public static Path ringTmpFile(final Path ringFile) {
        return ringFile.resolveSibling(ringFile.getFileName() + RING_TMP_SUFFIX);
    }

    public static Path blobDir(final Path experimentDir) {
        return experimentDir.resolve(BLOB_DIR);
    }

    public static Path sourceIdFile(final Path experimentDir) {
        return experimentDir.resolve(SOURCE_ID_FILE);
    }

    /** The import marks of one source: {@code archive-imports/SOURCE.mark}. */
    public static Path importMarkFile(final Path experimentDir, final String sourceId) {
        return experimentDir.resolve(IMPORT_MARKS_DIR).resolve(sourceId + MARK_SUFFIX);
    }

    /** The mark of one ingested CSV: {@code ingest-marks/SHA256.mark}. */
    public static Path ingestMarkFile(final Path experimentDir, final String sha256) {
        return experimentDir.resolve(INGEST_MARKS_DIR).resolve(sha256 + MARK_SUFFIX);
    }

    /** True for a name in {@link #PROJECTS_DIR} or an {@link #EXPERIMENTS_DIR} that is being created. */
    public static boolean isBeingCreated(final String name) {
        return name.startsWith(CREATING_PREFIX);
    }

    /** The temporary directory a project or experiment {@code name} is created in. */
    static Path creatingDir(final Path parent, final String name, final long random) {
        return parent.resolve(CREATING_PREFIX + name + "-" + Long.toHexString(random));
    }
}
