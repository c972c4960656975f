package io.runlog.cli;

import io.runlog.ArchiveFormatException;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.archive.ArchiveHeader;
import io.runlog.archive.ArchiveReader;
import io.runlog.archive.ArchiveSummary;
import io.runlog.archive.ArchiveVisitor;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** Reads an archive for {@code inspect} and {@code verify}, keeping what was read before a failure. */
final class ArchiveCheck {
    ArchiveHeader header;
    List<String> metrics;
    long[] points;
    ArchiveSummary summary;
    ArchiveFormatException failure;
    long size;
    final long[] itemsByType = new long[ItemType.values().length];

    static ArchiveCheck of(final Path file) {
        final ArchiveCheck c = new ArchiveCheck();
        try (ArchiveReader reader = ArchiveReader.open(file)) {
            c.size = reader.size();
            c.summary = reader.read(new ArchiveVisitor() {
                @Override
                public void experiment(final ArchiveHeader h) {
                    c.header = h;
                }

                @Override
                public void metrics(final List<String> names, final long[] counts) {
                    c.metrics = names;
                    c.points = counts;
                }

                @Override
                public void item(final Item item, final InputStream payload) {
                    c.itemsByType[item.type().ordinal()]++;
                }
            });
        } catch (final ArchiveFormatException e) {
            c.failure = e;
        }
        return c;
    }
}
