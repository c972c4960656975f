package io.runlog.store;

import io.runlog.ProjectKind;

/**
 * What the EXPERIMENT_HEADER record (and {@code experiment.properties}) says about an experiment.
 *
 * @param project   the project's name
 * @param kind      the project's kind
 * @param key       the experiment's key
 * @param createdAt epoch milliseconds of creation
 * @param offline   true for an experiment logged by an offline harness (no rate limits)
 */
public record ExperimentHeader(String project, ProjectKind kind, String key, long createdAt, boolean offline) {
}
