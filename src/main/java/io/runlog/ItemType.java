package io.runlog;

/** The kinds of "everything else" data: named items with metadata and a binary payload. */
public enum ItemType {
    IMAGE,
    CURVE,
    MODEL,
    TEXT_SAMPLE,
    VIDEO,
    ASSET
}
