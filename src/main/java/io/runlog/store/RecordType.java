package io.runlog.store;

/** The record types of the journal ({@link JournalLayout}); the code is the record's first byte. */
public enum RecordType {
    /** First record of every journal: magic, format version, project, kind, key, creation time. */
    EXPERIMENT_HEADER(1),
    /** Binds a metric name to the dense id that point batches use. */
    METRIC_DEFINED(2),
    /** Metric points drained from the point ring, grouped by metric. */
    POINT_BATCH(3),
    /** A parameter value; the latest per name wins, all are kept. */
    PARAMETER(4),
    /** A line of captured stdout or stderr. */
    OUTPUT_LINE(5),
    /** An image, curve, model, text sample, video or asset: metadata and a blob reference. */
    ITEM(6),
    /** A prompt (LLM projects). */
    PROMPT(7),
    /** The throttle warning flag of one data type, cumulative: the latest record per type wins. */
    THROTTLE_WARNING(8);

    private static final RecordType[] BY_CODE = new RecordType[9];

    static {
        for (final RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    RecordType(final int code) {
        this.code = code;
    }

    /** The type with this code, or null if the code is unknown. */
    public static RecordType of(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
