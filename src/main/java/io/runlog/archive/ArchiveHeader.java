package io.runlog.archive;

import io.runlog.ProjectKind;

/**
 * Internal: what an archive's EXPERIMENT block says.
 *
 * @param project    the source project's name
 * @param kind       the source project's kind
 * @param key        the experiment's key
 * @param createdAt  epoch milliseconds the experiment was created at
 * @param offline    whether it is an offline experiment
 * @param sourceId   32 lower-case hex digits: the identity of the source experiment (stable across
 *                   its exports, distinct for every experiment)
 * @param exportedAt epoch milliseconds of the export
 */
public record ArchiveHeader(String project, ProjectKind kind, String key, long createdAt, boolean offline,
                            String sourceId, long exportedAt) {
}
