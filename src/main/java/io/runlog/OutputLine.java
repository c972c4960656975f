package io.runlog;

/**
 * One captured line of output.
 *
 * @param channel   stdout or stderr
 * @param text      the line, without its line terminator
 * @param timestamp epoch milliseconds of the log call
 */
public record OutputLine(OutputChannel channel, String text, long timestamp) {
}
