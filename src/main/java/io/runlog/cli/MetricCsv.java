package io.runlog.cli;

import io.runlog.RunlogException;
import io.runlog.internal.Names;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A metrics CSV file as {@code runlog ingest} reads it: a header naming the columns
 * {@code metric}, {@code step}, {@code value} and optionally {@code timestamp}, in any order, then
 * one point per line. Each {@link #read} parses the whole file and hands every row to a
 * {@link RowSink}; the first malformed line stops it with a {@link CliException} whose message
 * starts with {@code FILE:LINE:}.
 *
 * <ul>
 *   <li>metric: a Runlog metric name (1..250 chars, no control characters);</li>
 *   <li>step: a 64-bit integer;</li>
 *   <li>value: any form {@link DoubleText#parseBits} reads ({@code 0.25}, {@code 1e-3},
 *       {@code NaN}, {@code nan}, {@code inf}, {@code -Infinity}, {@code NaN:0x7ff80000deadbeef});</li>
 *   <li>timestamp: empty (the store's clock stamps the point), an integer (epoch milliseconds), or
 *       a decimal number with a fraction or exponent (epoch seconds, converted exactly to
 *       milliseconds and rounded half-up).</li>
 * </ul>
 *
 * Spaces around the numbers are ignored; empty lines are skipped.
 */
final class MetricCsv {
    static final String METRIC = "metric";
    static final String STEP = "step";
    static final String VALUE = "value";
    static final String TIMESTAMP = "timestamp";
    private static final List<String> COLUMNS = List.of(METRIC, STEP, VALUE, TIMESTAMP);
    private static final String EXPECTED = "expected the header metric,step,value[,timestamp] (columns in any order)";
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(3);

    /** Receives the rows of a file, in file order. */
    interface RowSink {
        /**
         * @param timestamped false if the timestamp column is absent or empty (then
         *                    {@code timestamp} is 0 and the store's clock stamps the point)
         */
        void row(long line, String metric, long step, boolean timestamped, long timestamp, long valueBits);
    }

    private final Path file;
    private final String displayName;

    /** @param displayName how error messages name the file (as the user wrote it) */
    MetricCsv(final Path file, final String displayName) {
        this.file = file;
        this.displayName = displayName;
    }

    /** Fails with a one-line reason unless the file is a readable regular file. */
    void checkReadable() {
        if (Files.isDirectory(file)) {
            throw new CliException(displayName + " is a directory, not a CSV file");
        }
        if (!Files.exists(file)) {
            throw new CliException("cannot read " + displayName + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new CliException("cannot read " + displayName + ": permission denied");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(displayName + " is not a regular file (a pipe or device): ingest reads the file"
                + " twice, to validate it and then to write it; save it to a file first");
        }
    }

    /** The SHA-256 of the file's bytes, lower-case hex: the file's identity for resuming an ingest. */
    String sha256() {
        try (InputStream in = Files.newInputStream(file)) {
            final java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            final byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (final IOException e) {
            throw new CliException("cannot read " + displayName + ": " + io.runlog.internal.IoErrors.describe(e, file), e);
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Parses the whole file, handing each row to {@code sink}.
     *
     * @return the number of rows
     * @throws CliException {@code FILE:LINE: <what>} at the first malformed line, or why the file
     *                      cannot be read
     */
    long read(final RowSink sink) {
        checkReadable();
        try (InputStream in = Files.newInputStream(file); Utf8LineReader reader = new Utf8LineReader(in)) {
            return read(reader, sink);
        } catch (final NoSuchFileException e) {
            throw new CliException("cannot read " + displayName + ": no such file", e);
        } catch (final AccessDeniedException e) {
            throw new CliException("cannot read " + displayName + ": permission denied", e);
        } catch (final IOException e) {
            throw new CliException("cannot read " + displayName + ": " + io.runlog.internal.IoErrors.describe(e, file), e);
        }
    }

    private long read(final Utf8LineReader reader, final RowSink sink) throws IOException {
        final int[] index = readHeader(reader);
        final int metricAt = index[0];
        final int stepAt = index[1];
        final int valueAt = index[2];
        final int timestampAt = index[3];
        final int width = index[4];
        long rows = 0;
        String line;
        while ((line = nextLine(reader)) != null) {
            if (line.isEmpty()) {
                continue;
            }
            final long lineNumber = reader.lineNumber();
            final List<String> fields = fields(line, lineNumber);
            if (fields.size() != width) {
                throw at(lineNumber, (fields.size() > width ? "too many" : "too few") + " fields: expected " + width
                    + " (as the header has), found " + fields.size());
            }
            final String metric = fields.get(metricAt);
            try {
                Names.checkName("metric", metric);
            } catch (final RunlogException e) {
                throw at(lineNumber, e.getMessage());
            }
            final long step = parseStep(fields.get(stepAt).strip(), lineNumber);
            final long valueBits;
            try {
                valueBits = DoubleText.parseBits(fields.get(valueAt).strip());
            } catch (final NumberFormatException e) {
                throw at(lineNumber, "value: " + e.getMessage());
            }
            final String ts = timestampAt < 0 ? "" : fields.get(timestampAt).strip();
            if (ts.isEmpty()) {
                sink.row(lineNumber, metric, step, false, 0, valueBits);
            } else {
                sink.row(lineNumber, metric, step, true, parseTimestamp(ts, lineNumber), valueBits);
            }
            rows++;
        }
        return rows;
    }

    /** {metric, step, value, timestamp (-1 if absent), number of columns}. */
    private int[] readHeader(final Utf8LineReader reader) throws IOException {
        final String header = nextLine(reader);
        if (header == null || header.isEmpty()) {
            throw at(1, header == null ? "the file is empty; " + EXPECTED : "the header line is empty; " + EXPECTED);
        }
        final List<String> names = fields(header, 1);
        final int[] index = new int[5];
        Arrays.fill(index, -1);
        for (int i = 0; i < names.size(); i++) {
            final String name = names.get(i).strip().toLowerCase(Locale.ROOT);
            final int column = COLUMNS.indexOf(name);
            if (column < 0) {
                throw at(1, "unknown column '" + Names.preview(names.get(i)) + "'; " + EXPECTED);
            }
            if (index[column] >= 0) {
                throw at(1, "column '" + name + "' appears twice; " + EXPECTED);
            }
            index[column] = i;
        }
        for (int column = 0; column < 3; column++) {
            if (index[column] < 0) {
                throw at(1, "the header has no '" + COLUMNS.get(column) + "' column; " + EXPECTED);
            }
        }
        index[4] = names.size();
        return index;
    }

    private String nextLine(final Utf8LineReader reader) throws IOException {
        try {
            return reader.readLine();
        } catch (final Utf8LineReader.LineException e) {
            throw at(reader.lineNumber(), e.getMessage());
        }
    }

    private List<String> fields(final String line, final long lineNumber) {
        try {
            return Csv.parseLine(line);
        } catch (final IllegalArgumentException e) {
            throw at(lineNumber, e.getMessage());
        }
    }

    private long parseStep(final String text, final long lineNumber) {
        try {
            return Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw at(lineNumber, "step '" + Names.preview(text) + "' is not an integer from " + Long.MIN_VALUE
                + " to " + Long.MAX_VALUE);
        }
    }

    /** An integer is epoch milliseconds; a decimal with a fraction or exponent is epoch seconds. */
    private long parseTimestamp(final String text, final long lineNumber) {
        try {
            return Long.parseLong(text);
        } catch (final NumberFormatException notAnInteger) {
            // seconds, below
        }
        final String problem = "timestamp '" + Names.preview(text) + "' is neither empty, integer epoch milliseconds"
            + " nor decimal epoch seconds";
        if (!isPlainDecimal(text)) {
            throw at(lineNumber, problem);
        }
        final BigDecimal seconds;
        try {
            seconds = new BigDecimal(text);
        } catch (final NumberFormatException | ArithmeticException e) {
            throw at(lineNumber, problem);
        }
        if (seconds.abs().compareTo(MAX_SECONDS) > 0) {
            throw at(lineNumber, "timestamp '" + Names.preview(text) + "' seconds are out of range");
        }
        try {
            return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (final ArithmeticException e) {
            throw at(lineNumber, "timestamp '" + Names.preview(text) + "' seconds are out of range");
        }
    }

    /** Digits with an optional sign, decimal point and exponent: what BigDecimal reads, minus oddities. */
    private static boolean isPlainDecimal(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private CliException at(final long lineNumber, final String what) {
        return new CliException(displayName + ":" + lineNumber + ": " + what);
    }
}
