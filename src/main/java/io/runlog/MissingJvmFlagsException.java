package io.runlog;

import java.util.List;

/**
 * The JVM was started without flags Runlog's dependencies (Chronicle Queue, Agrona) need on Java
 * 17 and later. Thrown by {@link RunlogStore#open} before anything is created or opened, so
 * rerunning with the flags starts clean. The message lists the missing flags and how to add them:
 * {@code java @runlog-jvm.args ...} with the argument file that {@code runlog jvm-flags} prints and
 * the jar carries ({@code META-INF/runlog/runlog-jvm.args}); README "JVM flags" has the Maven
 * Surefire and exec configuration.
 */
public class MissingJvmFlagsException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final List<String> missing;

    public MissingJvmFlagsException(final List<String> missing) {
        super("this JVM lacks " + missing.size() + " flag" + (missing.size() == 1 ? "" : "s") + " Runlog needs: "
            + String.join(" ", missing) + ". Add them to the java command line, all at once with an argument file:"
            + " 'runlog jvm-flags > runlog-jvm.args' then 'java @runlog-jvm.args ...' (Maven: the Surefire argLine"
            + " and exec configuration in README 'JVM flags')");
        this.missing = List.copyOf(missing);
    }

    /** The missing flags, as they go on the command line ({@code --add-opens=java.base/java.lang=ALL-UNNAMED}). */
    public List<String> missingFlags() {
        return missing;
    }
}
