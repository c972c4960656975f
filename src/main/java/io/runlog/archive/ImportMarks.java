package io.runlog.archive;

import io.runlog.internal.IoErrors;
import io.runlog.store.AtomicFile;
import io.runlog.CorruptStoreException;
import io.runlog.StoreAccessException;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Internal: the high-water marks an experiment keeps for one import source, in
 * {@code archive-imports/<source id>.mark} in the experiment's directory.
 *
 * <p>For every stream of the source (each metric, each parameter name, output lines, items,
 * prompts) a mark holds {@code imported}, how many of the source's entries the target holds, and
 * {@code targetLength}, the length of the target's stream when the mark was written. A source's
 * streams are append-only, so a later archive of the same experiment extends each of them: an
 * import skips the first {@code imported} entries of each stream. Entries the target holds beyond
 * {@code targetLength} were written after the mark: by an import that crashed before writing its
 * next mark, whose entries are recognised (in order) and skipped, or by a logger.
 *
 * <p>Text, one line per stream, then a CRC32C of everything before it; written whole (temporary
 * file, fsync, rename, directory fsync), only after the data it counts was synced.
 */
final class ImportMarks {
    private static final String MAGIC = "runlog-import-mark 1";

    /** Stream key (for example {@code "m\tloss"}) to {imported, targetLength}. */
    final Map<String, long[]> streams = new LinkedHashMap<>();

    static String metric(final String name) {
        return "m\t" + name;
    }

    static String parameter(final String name) {
        return "p\t" + name;
    }

    static final String OUTPUT = "o";
    static final String ITEMS = "i";
    static final String PROMPTS = "r";

    long imported(final String stream) {
        final long[] m = streams.get(stream);
        return m == null ? 0 : m[0];
    }

    /** The target's length at the mark, or -1 if the mark has no entry for the stream. */
    long targetLength(final String stream) {
        final long[] m = streams.get(stream);
        return m == null ? -1 : m[1];
    }

    void put(final String stream, final long imported, final long targetLength) {
        streams.put(stream, new long[] {imported, targetLength});
    }

    static Path file(final Path experimentDir, final String sourceId) {
        return StoreLayout.importMarkFile(experimentDir, sourceId);
    }

    /** The marks for a source, or null if the experiment never imported from it. */
    static ImportMarks read(final FileSystemFacade fs, final Path experimentDir, final String sourceId) {
        final Path file = file(experimentDir, sourceId);
        if (!fs.exists(file)) {
            return null;
        }
        final String text;
        try {
            text = new String(fs.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read import marks " + file + ": " + IoErrors.describe(e), e);
        }
        final int crcLine = text.lastIndexOf("crc32c\t");
        if (!text.startsWith(MAGIC + "\n") || crcLine < 0 || !text.endsWith("\n")) {
            throw new CorruptStoreException("import marks " + file + " are damaged (no header or checksum line)");
        }
        final CRC32C crc = new CRC32C();
        final byte[] body = text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8);
        crc.update(body, 0, body.length);
        final String stored = text.substring(crcLine + 7, text.length() - 1);
        if (!stored.equals(String.format("%08x", crc.getValue()))) {
            throw new CorruptStoreException("import marks " + file + " fail their CRC32C");
        }
        final ImportMarks marks = new ImportMarks();
        final String[] lines = text.substring(0, crcLine).split("\n");
        for (int i = 1; i < lines.length; i++) {
            final String[] f = lines[i].split("\t", 3);
            if (f.length != 3) {
                throw new CorruptStoreException("import marks " + file + ": malformed line " + (i + 1));
            }
            final String[] counts = f[0].split(",");
            try {
                marks.put(f[1].isEmpty() ? f[2] : f[1] + "\t" + f[2], Long.parseLong(counts[0]), Long.parseLong(counts[1]));
            } catch (final RuntimeException e) {
                throw new CorruptStoreException("import marks " + file + ": malformed line " + (i + 1), e);
            }
        }
        return marks;
    }

    /** This mark as the public {@link io.runlog.HighWaterMark} of source {@code sourceId}: each stream's {@code imported}. */
    io.runlog.HighWaterMark toHighWaterMark(final String sourceId) {
        final Map<String, Long> metrics = new LinkedHashMap<>();
        final Map<String, Long> parameters = new LinkedHashMap<>();
        for (final Map.Entry<String, long[]> e : streams.entrySet()) {
            final String k = e.getKey();
            if (k.startsWith("m\t")) {
                metrics.put(k.substring(2), e.getValue()[0]);
            } else if (k.startsWith("p\t")) {
                parameters.put(k.substring(2), e.getValue()[0]);
            }
        }
        return new io.runlog.HighWaterMark(sourceId, metrics, parameters, imported(OUTPUT), imported(ITEMS),
            imported(PROMPTS));
    }

    /** The sources an experiment holds marks of (their ids, sorted). */
    static java.util.List<String> sources(final FileSystemFacade fs, final Path experimentDir) {
        final Path dir = file(experimentDir, "x").getParent();
        final java.util.List<String> ids = new java.util.ArrayList<>();
        if (!fs.exists(dir)) {
            return ids;
        }
        try {
            for (final Path p : fs.list(dir)) {
                final String n = p.getFileName().toString();
                if (n.matches("[0-9a-f]{32}\\.mark")) {
                    ids.add(n.substring(0, 32));
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot list import marks in " + dir + ": " + IoErrors.describe(e), e);
        }
        java.util.Collections.sort(ids);
        return ids;
    }

    /** Writes the marks atomically. */
    void write(final FileSystemFacade fs, final Path experimentDir, final String sourceId) {
        final StringBuilder b = new StringBuilder(MAGIC).append('\n');
        for (final Map.Entry<String, long[]> e : streams.entrySet()) {
            final String key = e.getKey();
            final int tab = key.indexOf('\t');
            b.append(e.getValue()[0]).append(',').append(e.getValue()[1]).append('\t')
                .append(tab < 0 ? "" : key.substring(0, tab)).append('\t')
                .append(tab < 0 ? key : key.substring(tab + 1)).append('\n');
        }
        final byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        final CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        b.append("crc32c\t").append(String.format("%08x", crc.getValue())).append('\n');
        final Path file = file(experimentDir, sourceId);
        try {
            fs.createDirectories(file.getParent());
            AtomicFile.write(fs, file, b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new StoreAccessException("cannot write import marks " + file + ": " + IoErrors.describe(e), e);
        }
    }
}
