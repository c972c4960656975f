package io.runlog.cli;

import java.util.Locale;

/**
 * Whether standard error is shown on a terminal, and how wide it is: progress bars are drawn only
 * on one ({@code runlog sync}, {@code runlog upload}, {@code runlog demo}), never into a log or a
 * pipe. {@link #detect()} asks the JVM ({@link System#console()}: standard input and output are a
 * terminal) and takes the width from {@code COLUMNS} (80 if unset); tests inject one.
 *
 * @param interactive true if progress may be drawn
 * @param width       columns a progress line may take (at least 20)
 */
record Terminal(boolean interactive, int width) {
    static final int DEFAULT_WIDTH = 80;
    static final Terminal NONE = new Terminal(false, DEFAULT_WIDTH);

    Terminal {
        width = Math.max(20, width);
    }

    static Terminal detect() {
        if (System.console() == null) {
            return NONE;
        }
        int width = DEFAULT_WIDTH;
        final String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                width = Integer.parseInt(columns.strip());
            } catch (final NumberFormatException ignored) {
                // keep the default
            }
        }
        return new Terminal(true, width);
    }

    /**
     * One progress line of at most {@link #width()} columns: {@code label [####....] text}; the
     * bar takes what the label and text leave (at least 10 columns), the text is cut if it must be.
     */
    String bar(final String label, final long done, final long total, final String text) {
        final int fixed = label.length() + 4 + text.length(); // "label [" + "] " + text
        final int barWidth = Math.max(10, Math.min(40, width - 1 - fixed));
        final int filled = total <= 0 ? barWidth : (int) (barWidth * Math.min(Math.max(done, 0), total) / total);
        final String line = String.format(Locale.ROOT, "%s [%s%s] %s", label, "#".repeat(filled),
            ".".repeat(barWidth - filled), text);
        return line.length() < width ? line : line.substring(0, width - 1);
    }
}
