package io.runlog.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a stream line by line, decoding each line as strict UTF-8, so that an error names the
 * exact line it is on. Lines end with LF or CRLF; a UTF-8 byte-order mark at the start is skipped.
 */
final class Utf8LineReader implements Closeable {
    /** Longest line accepted: no valid metric row comes close; a binary file would. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;
    private boolean eof;

    Utf8LineReader(final InputStream in) {
        this.in = in;
    }

    /** The number of the line {@link #readLine()} returned last, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its terminator, or null at the end of the stream.
     *
     * @throws LineException if the line is not UTF-8 or is longer than {@link #MAX_LINE_BYTES}
     */
    String readLine() throws IOException {
        if (eof) {
            return null;
        }
        int length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    eof = true;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            final byte b = buffer[position++];
            if (b == '\n') {
                break;
            }
            if (length == MAX_LINE_BYTES) {
                lineNumber++;
                throw new LineException("line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
            }
            line[length++] = b;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        int start = 0;
        if (lineNumber == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            start = 3;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, start, length - start)).toString();
        } catch (final CharacterCodingException e) {
            throw new LineException("line is not valid UTF-8");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A line that cannot be read as text; {@link #lineNumber()} is its number. */
    static final class LineException extends IOException {
        private static final long serialVersionUID = 1L;

        LineException(final String message) {
            super(message);
        }
    }
}
