package io.runlog;

import java.util.Map;

/**
 * An image, curve, model, text sample, video or asset. The payload lives outside the journal in a
 * content-addressed file; read it with {@link Experiment#readPayload(Item)} or
 * {@link Experiment#payloadPath(Item)}.
 *
 * @param type          the kind of item
 * @param name          its name
 * @param metadata      free key/value metadata, in the order it was given
 * @param payloadLength payload size in bytes
 * @param sha256        lower-case hex SHA-256 of the payload (also its file name)
 * @param timestamp     epoch milliseconds of the log call
 */
public record Item(ItemType type, String name, Map<String, String> metadata, long payloadLength, String sha256,
                   long timestamp) {
}
