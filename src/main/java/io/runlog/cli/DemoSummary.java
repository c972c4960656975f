package io.runlog.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Step 7 of {@code runlog demo}: the table of what the run measured. */
final class DemoSummary {
    private final List<String[]> rows = new ArrayList<>();

    void add(final String measure, final String value) {
        rows.add(new String[]{measure, value});
    }

    void add(final String measure, final String format, final Object... args) {
        add(measure, String.format(Locale.ROOT, format, args));
    }

    void print(final PrintWriter out) {
        int width = 0;
        int valueWidth = 0;
        for (final String[] r : rows) {
            width = Math.max(width, r[0].length());
            valueWidth = Math.max(valueWidth, r[1].length());
        }
        final String rule = "     +-" + "-".repeat(width) + "-+-" + "-".repeat(valueWidth) + "-+";
        out.println(rule);
        for (final String[] r : rows) {
            out.printf(Locale.ROOT, "     | %-" + width + "s | %" + valueWidth + "s |%n", r[0], r[1]);
        }
        out.println(rule);
    }
}
