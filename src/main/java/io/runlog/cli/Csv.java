package io.runlog.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of the command line (RFC 4180, one record per line): fields are separated by
 * commas; a field may be enclosed in double quotes, inside which a comma is literal and a double
 * quote is written twice. A quoted field cannot span lines (no name Runlog stores holds a line
 * break). Fields are not trimmed.
 */
final class Csv {
    private Csv() {
    }

    /**
     * The fields of one line (without its line terminator).
     *
     * @throws IllegalArgumentException with a message naming the column, if quotes are unbalanced
     *                                  or a quote appears inside an unquoted field
     */
    static List<String> parseLine(final String line) {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        int i = 0;
        final int n = line.length();
        while (true) {
            field.setLength(0);
            final int column = fields.size() + 1;
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("field " + column + ": quoted field is not closed"
                            + " (a quoted field cannot span lines)");
                    }
                    final char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("field " + column + ": unexpected '" + line.charAt(i)
                        + "' after the closing quote (expected ',' or end of line)");
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    final char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("field " + column + ": a double quote inside an unquoted"
                            + " field (enclose the field in quotes and double the quote)");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    /** A field as CSV text: quoted when it holds a comma, a double quote, a CR or an LF. */
    static String quote(final String field) {
        boolean needs = false;
        for (int i = 0; i < field.length() && !needs; i++) {
            final char c = field.charAt(i);
            needs = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
