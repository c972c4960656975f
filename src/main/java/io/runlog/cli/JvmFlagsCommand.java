package io.runlog.cli;

import io.runlog.internal.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runlog jvm-flags}: the JVM flags an embedding application needs, as an argument file. */
@Command(name = "jvm-flags", mixinStandardHelpOptions = true,
    description = {
        "Prints the JVM flags an application embedding Runlog needs.",
        "",
        "One flag a line, with a comment on top: the format of a java argument file.",
        "  runlog jvm-flags > runlog-jvm.args",
        "  java @runlog-jvm.args -cp app.jar:runlog.jar com.example.Main",
        "The jar carries the same file (META-INF/runlog/runlog-jvm.args) and the build",
        "writes it to target/runlog-jvm.args. With --line: all on one line, for a",
        "Surefire argLine or MAVEN_OPTS. README 'JVM flags' has the Maven configuration.",
        ""
    })
public final class JvmFlagsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--line", description = "All flags on one line, separated by spaces, without the comment.")
    boolean line;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        if (line) {
            out.print(String.join(" ", JvmFlags.moduleFlags()) + "\n");
        } else {
            out.print("# The JVM flags Runlog needs on Java 17 and later: java @THIS_FILE ...\n");
            for (final String flag : JvmFlags.moduleFlags()) {
                out.print(flag + "\n");
            }
        }
        out.flush();
        return 0;
    }
}
