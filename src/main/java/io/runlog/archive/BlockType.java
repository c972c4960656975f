package io.runlog.archive;

/** Internal: the block types of an archive and their type bytes (docs/format/archive.md). */
enum BlockType {
    EXPERIMENT(1),
    METRICS(2),
    POINTS(3),
    PARAMETERS(4),
    OUTPUT(5),
    ITEM(6),
    ITEM_PAYLOAD(7),
    PROMPTS(8),
    THROTTLE(9),
    /** 1.2: where each stream of an increment starts in its source (block #2 of an increment). */
    INCREMENT(10),
    FOOTER(127);

    final int code;

    BlockType(final int code) {
        this.code = code;
    }

    /** The type of a code, or null. */
    static BlockType of(final int code) {
        for (final BlockType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
