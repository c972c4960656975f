package io.runlog.store;

import io.runlog.internal.IoErrors;
import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.CRC32C;

/**
 * Small metadata files ({@code *.properties}): written atomically, checked when read, read with
 * clear errors. Layout (format 2, {@code docs/format/metadata-files.md}):
 *
 * <pre>
 * #runlog-properties 2                 {@link #HEADER}: the first line; says a check line must end the file
 * #COMMENT                             what the file is (java.util.Properties text from here ...)
 * key=value                            one line per property, sorted by key
 * ...                                  (... to here: no date line, so a file is a function of its content)
 * #crc32c=XXXXXXXX                     {@link #CHECK_PREFIX}: CRC32C of every byte before this line, 8 lower-case hex digits
 * </pre>
 *
 * Both added lines are comments, so builds before format 2 read these files unchanged. A file
 * without the header and without a check line is a format 1 file (written before the check) and
 * is read unchecked; a file with either must have both, the check must hold, and nothing may
 * follow the check line.
 */
final class PropertiesFile {
    /** First line of a checked (format 2) file. */
    static final String HEADER = "#runlog-properties 2\n";
    /** What every checked file starts with, whatever its format number. */
    static final String HEADER_WORD = "#runlog-properties";
    /** Start of the last line of a checked file; 8 hex digits and a newline follow. */
    static final String CHECK_PREFIX = "#crc32c=";
    private static final int CHECK_LINE_LENGTH = CHECK_PREFIX.length() + 8 + 1;

    private PropertiesFile() {
    }

    /** Writes atomically ({@link AtomicFile}): a crash leaves the old file or the new one, never half of one. */
    static void write(final FileSystemFacade fs, final Path file, final Properties props, final String comment) {
        try {
            AtomicFile.write(fs, file, encode(props, comment));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** The bytes of a format 2 file holding {@code props}. */
    static byte[] encode(final Properties props, final String comment) {
        final StringBuilder text = new StringBuilder(HEADER);
        text.append(escapedLine("#", comment == null ? "" : comment.replace('\n', ' ').replace('\r', ' ')));
        props.stringPropertyNames().stream().sorted().forEach(k -> text.append(escapedEntry(k, props.getProperty(k))));
        final byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        final CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        text.append(CHECK_PREFIX).append(String.format(Locale.ROOT, "%08x", crc.getValue())).append('\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One property as java.util.Properties escapes it (its own store, minus the comment and date lines). */
    private static String escapedEntry(final String key, final String value) {
        final Properties one = new Properties();
        one.setProperty(key, value);
        final StringWriter w = new StringWriter();
        try {
            one.store(w, null);
        } catch (final IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        final String stored = w.toString();
        return stored.substring(stored.indexOf('\n') + 1); // drop the date line
    }

    private static String escapedLine(final String prefix, final String text) {
        return prefix + text + "\n";
    }

    static Properties read(final FileSystemFacade fs, final Path file) {
        final Properties props = new Properties();
        try {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(fs.readAllBytes(file))).toString();
            props.load(new StringReader(checked(file, text)));
            return props;
        } catch (final CharacterCodingException e) {
            throw new CorruptStoreException("cannot parse " + file + ": it is not UTF-8 text (" + e + ")", e);
        } catch (final IllegalArgumentException e) {
            throw new CorruptStoreException("cannot parse " + file + ": " + e.getMessage(), e);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** The text to parse, once its check holds (or the file is of format 1, with neither line). */
    private static String checked(final Path file, final String text) {
        final int check = text.lastIndexOf(CHECK_PREFIX);
        final boolean header = text.startsWith(HEADER);
        if (!header && check < 0) {
            if (text.startsWith(HEADER_WORD)) {
                throw new CorruptStoreException(file + " is damaged: its first line is not '" + HEADER.trim()
                    + "' and it has no check line");
            }
            return text; // format 1
        }
        if (!header) {
            throw new CorruptStoreException(file + " is damaged: it has a check line (offset " + check
                + ") but not the first line '" + HEADER.trim() + "'");
        }
        if (check < 0 || (check > 0 && text.charAt(check - 1) != '\n')) {
            throw new CorruptStoreException(file + " is damaged: its check line '" + CHECK_PREFIX
                + "...' is missing (cut short?)");
        }
        if (text.length() - check != CHECK_LINE_LENGTH || text.charAt(text.length() - 1) != '\n') {
            throw new CorruptStoreException(file + " is damaged: the check line at offset " + check
                + " is not '" + CHECK_PREFIX + "' and 8 hex digits ending the file");
        }
        final byte[] body = text.substring(0, check).getBytes(StandardCharsets.UTF_8);
        final CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        final String stored = text.substring(check + CHECK_PREFIX.length(), text.length() - 1);
        final String computed = String.format(Locale.ROOT, "%08x", crc.getValue());
        if (!stored.equals(computed)) {
            throw new CorruptStoreException(file + " is damaged: CRC32C of its first " + body.length + " bytes is "
                + computed + ", its check line (offset " + check + ") says " + stored);
        }
        return text.substring(0, check);
    }

    static String require(final Properties props, final Path file, final String key) {
        final String v = props.getProperty(key);
        if (v == null) {
            throw new CorruptStoreException(file + " lacks the required key '" + key + "'");
        }
        return v;
    }

    static long requireLong(final Properties props, final Path file, final String key) {
        final String v = require(props, file, key);
        try {
            return Long.parseLong(v.trim());
        } catch (final NumberFormatException e) {
            throw new CorruptStoreException(file + ": '" + key + "' is '" + v + "', not a number", e);
        }
    }

    /** An optional boolean: absent is {@code fallback}; anything but true or false is damage. */
    static boolean booleanOr(final Properties props, final Path file, final String key, final boolean fallback) {
        final String v = props.getProperty(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new CorruptStoreException(file + ": '" + key + "' is '" + v + "', not true or false");
        };
    }
}
