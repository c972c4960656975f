package io.runlog;

/** The stream a captured output line came from. */
public enum OutputChannel {
    STDOUT,
    STDERR
}
