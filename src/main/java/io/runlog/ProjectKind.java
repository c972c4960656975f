package io.runlog;

/** What a project holds. */
public enum ProjectKind {
    /** Experiments logging metrics, parameters, output and assets; at most 25,000 experiments. */
    EXPERIMENT_MANAGEMENT,
    /** Like {@link #EXPERIMENT_MANAGEMENT}, and its experiments also log prompts. */
    LLM
}
