package io.runlog;

import java.util.Map;

/**
 * A prompt logged to an experiment of an {@link ProjectKind#LLM} project.
 *
 * @param prompt    the prompt text
 * @param response  the model's response ("" if none)
 * @param metadata  free key/value metadata (model, tokens, latency, ...), in the order given
 * @param timestamp epoch milliseconds of the log call
 */
public record Prompt(String prompt, String response, Map<String, String> metadata, long timestamp) {
}
