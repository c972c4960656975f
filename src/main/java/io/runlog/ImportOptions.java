package io.runlog;

import io.runlog.internal.Names;

/**
 * How {@link RunlogStore#importArchive(java.nio.file.Path, ImportOptions)} imports: by default
 * into the project and experiment key the archive names; {@link #project(String)} and
 * {@link #key(String)} import it under another name instead, for example when the archive's
 * experiment key is already taken by an experiment of another origin. The marks that make an
 * import idempotent are kept per target experiment, so an archive imported under another key is
 * idempotent there as well. Setters return {@code this}.
 */
public final class ImportOptions {
    private String project;
    private String key;

    public ImportOptions() {
    }

    /** The target project (created with the archive's kind if missing; an existing one must be of that kind). */
    public ImportOptions project(final String name) {
        this.project = Names.checkKey("project name", name);
        return this;
    }

    /** The target experiment key (created if missing). */
    public ImportOptions key(final String experimentKey) {
        this.key = Names.checkKey("experiment key", experimentKey);
        return this;
    }

    /** The target project, or null for the archive's. */
    public String project() {
        return project;
    }

    /** The target experiment key, or null for the archive's. */
    public String key() {
        return key;
    }
}
