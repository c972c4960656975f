package io.runlog.archive;

/**
 * Internal: the counts an archive's footer carries (and its reader recounts).
 */
public record ArchiveTotals(long metrics, long points, long parameterValues, long outputLines, long items,
                            long prompts, long throttleEntries, long payloadBytes) {
    static final ArchiveTotals ZERO = new ArchiveTotals(0, 0, 0, 0, 0, 0, 0, 0);

    void write(final ByteSink out) {
        out.varint(metrics);
        out.varint(points);
        out.varint(parameterValues);
        out.varint(outputLines);
        out.varint(items);
        out.varint(prompts);
        out.varint(throttleEntries);
        out.varint(payloadBytes);
    }

    static ArchiveTotals read(final ByteSource in) {
        return new ArchiveTotals(in.varint("metrics"), in.varint("points"), in.varint("parameter values"),
            in.varint("output lines"), in.varint("items"), in.varint("prompts"), in.varint("throttle entries"),
            in.varint("payload bytes"));
    }
}
