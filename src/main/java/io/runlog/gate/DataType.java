package io.runlog.gate;

import io.runlog.Parameter;

/** The rate-limited data types of the ingestion gate; each has its own limit per API key. */
public enum DataType {
    /** Metric values (a submission of 500 points counts 500). */
    METRICS,
    /** Parameter values. */
    PARAMETERS,
    /** Output lines. */
    OUTPUT,
    /** Everything else: images, curves, models, text samples, videos, assets, prompts. */
    OTHER
}
