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
import java.util.Properties;

/** Small metadata files ({@code *.properties}): written atomically, read with clear errors. */
final class PropertiesFile {
    private PropertiesFile() {
    }

    /** Writes atomically ({@link AtomicFile}): a crash leaves the old file or the new one, never half of one. */
    static void write(final FileSystemFacade fs, final Path file, final Properties props, final String comment) {
        try {
            final StringWriter text = new StringWriter();
            props.store(text, comment);
            AtomicFile.write(fs, file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write " + file + ": " + IoErrors.describe(e), e);
        }
    }

    static Properties read(final FileSystemFacade fs, final Path file) {
        final Properties props = new Properties();
        try {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(fs.readAllBytes(file))).toString();
            props.load(new StringReader(text));
            return props;
        } catch (final CharacterCodingException e) {
            throw new CorruptStoreException("cannot parse " + file + ": it is not UTF-8 text (" + e + ")", e);
        } catch (final IllegalArgumentException e) {
            throw new CorruptStoreException("cannot parse " + file + ": " + e.getMessage(), e);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read " + file + ": " + IoErrors.describe(e), e);
        }
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
}
