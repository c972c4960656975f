package io.runlog.archive;

import io.runlog.CorruptStoreException;
import io.runlog.ExportResult;
import io.runlog.Item;
import io.runlog.MetricInfo;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.StoreAccessException;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.IoErrors;
import io.runlog.store.ExperimentCut;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.ExperimentHeader;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.OutputFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.runlog.archive.ArchiveLayout.*;

/**
 * Internal: writes one experiment to an archive file. Takes a consistent cut of the experiment
 * first ({@link ExperimentEngine#cut()}: every point, parameter value, line, item and prompt
 * acknowledged before the export began, nothing logged during it) and writes it through
 * {@link OutputFile}: a regular target by a temporary file in its directory, forced and renamed
 * over it (a crash never leaves a partial archive under the final name), a symbolic link's
 * target likewise, a FIFO or device directly.
 */
public final class ArchiveExporter {
    private ArchiveExporter() {
    }

    public static ExportResult export(final ExperimentEngine engine, final FileSystemFacade fs, final Path target,
                                  final long exportedAt) {
        final OutputFile out = OutputFile.resolve(target, "archive"); // refuses a directory or a missing directory first
        final String sourceId = SourceIdentity.of(fs, engine.directory(), engine.isReadOnly());
        final ExperimentCut cut = engine.cut();
        final ThrottleWarning throttle = engine.throttleWarning();
        final ExperimentHeader h = engine.header();
        final long[] counts = out.write(fs, (channel, regular) -> {
            final long[] c = new long[3];
            try (ArchiveWriter w = ArchiveWriter.over(channel, out.target(), regular)) {
                final ByteSink sink = new ByteSink(1 << 16);
                TextBlocks.experiment(new ArchiveHeader(h.project(), h.kind(), h.key(), h.createdAt(), h.offline(), sourceId,
                    exportedAt), sink);
                w.block(BlockType.EXPERIMENT, sink, false);
                final long points = metrics(engine, cut, w, sink);
                final long parameters = parameters(engine, cut, w, sink);
                final List<OutputLine> lines = engine.outputLines().subList(0, cut.outputLines());
                texts(lines, TextBlocks::output, BlockType.OUTPUT, w, sink);
                final long payloadBytes = items(engine, fs, cut, w, sink);
                final List<Prompt> prompts = engine.prompts().subList(0, cut.prompts());
                texts(prompts, TextBlocks::prompt, BlockType.PROMPTS, w, sink);
                sink.reset();
                TextBlocks.throttle(throttle, sink);
                w.block(BlockType.THROTTLE, sink, false);
                sink.reset();
                new ArchiveTotals(cut.metrics().size(), points, parameters, lines.size(), cut.items(), prompts.size(),
                    throttle.types().size(), payloadBytes).write(sink);
                w.finish(sink);
                c[0] = w.offset();
                c[1] = points;
                c[2] = parameters + lines.size() + cut.items() + prompts.size();
            }
            return c;
        });
        return new ExportResult(out.target(), counts[0], counts[1], counts[2]);
    }

    private static long metrics(final ExperimentEngine engine, final ExperimentCut cut, final ArchiveWriter w,
                                final ByteSink sink) {
        final List<String> names = new ArrayList<>();
        final long[] counts = new long[cut.metrics().size()];
        for (int i = 0; i < counts.length; i++) {
            names.add(cut.metrics().get(i).name());
            counts[i] = cut.metrics().get(i).count();
        }
        sink.reset();
        TextBlocks.metrics(names, counts, sink);
        w.block(BlockType.METRICS, sink, true);
        final PointsBlock coder = new PointsBlock();
        final long[] steps = new long[MAX_POINTS_PER_BLOCK];
        final long[] timestamps = new long[MAX_POINTS_PER_BLOCK];
        final long[] values = new long[MAX_POINTS_PER_BLOCK];
        long total = 0;
        for (int m = 0; m < counts.length; m++) {
            final MetricInfo info = cut.metrics().get(m);
            final long n = info.count();
            for (long from = 0; from < n; from += MAX_POINTS_PER_BLOCK) {
                final int len = (int) Math.min(MAX_POINTS_PER_BLOCK, n - from);
                final int read = engine.readPoints(info.name(), from, steps, timestamps, values, len);
                if (read != len) {
                    throw new CorruptStoreException("metric '" + info.name() + "' returned " + read + " points at "
                        + from + ", its count says " + n);
                }
                sink.reset();
                coder.encode(m, from, steps, timestamps, values, 0, len, sink);
                w.block(BlockType.POINTS, sink, false);
            }
            total += n;
        }
        return total;
    }

    private static long parameters(final ExperimentEngine engine, final ExperimentCut cut, final ArchiveWriter w,
                                   final ByteSink sink) {
        final List<Parameter> all = new ArrayList<>();
        for (final Map.Entry<String, Integer> e : cut.parameterValues().entrySet()) {
            all.addAll(engine.parameterHistory(e.getKey()).subList(0, e.getValue()));
        }
        texts(all, TextBlocks::parameter, BlockType.PARAMETERS, w, sink);
        return all.size();
    }

    private interface EntryCoder<T> {
        void encode(T entry, ByteSink out);
    }

    /** Entries in blocks of about {@link ArchiveLayout#TEXT_BLOCK_TARGET} bytes (before compression), each a count then the entries. */
    private static <T> void texts(final List<T> entries, final EntryCoder<T> coder, final BlockType type,
                                  final ArchiveWriter w, final ByteSink sink) {
        final ByteSink body = new ByteSink(1 << 16);
        int inBlock = 0;
        for (int i = 0; i < entries.size(); i++) {
            coder.encode(entries.get(i), body);
            inBlock++;
            if (body.size() >= TEXT_BLOCK_TARGET || i == entries.size() - 1) {
                sink.reset();
                sink.varint(inBlock);
                sink.bytes(body.array(), 0, body.size());
                w.block(type, sink, true);
                body.reset();
                inBlock = 0;
            }
        }
    }

    /**
     * Writes the ITEM_PAYLOAD blocks of item {@code index}, read through the store's verifying
     * stream (its SHA-256 and length are checked, so a damaged blob is never exported or
     * shipped); returns the payload's length. Shared by whole archives and increments.
     */
    static long payloadBlocks(final ExperimentEngine engine, final int index, final Item item, final ArchiveWriter w,
                              final ByteSink sink, final byte[] chunk) {
        final Path payload = engine.payloadPath(item);
        long offset = 0;
        try (InputStream in = engine.openPayload(item)) {
            while (true) {
                final int n = in.readNBytes(chunk, 0, chunk.length);
                if (n <= 0) {
                    break;
                }
                sink.reset();
                sink.varint(index);
                sink.varint(offset);
                sink.bytes(chunk, 0, n);
                w.block(BlockType.ITEM_PAYLOAD, sink, false);
                offset += n;
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read payload " + payload + " of item '" + item.name() + "': "
                + IoErrors.describe(e), e);
        }
        if (offset != item.payloadLength()) {
            throw new CorruptStoreException("payload " + payload + " of item '" + item.name() + "' has " + offset
                + " bytes, its record says " + item.payloadLength());
        }
        return offset;
    }

    private static long items(final ExperimentEngine engine, final FileSystemFacade fs, final ExperimentCut cut, final ArchiveWriter w,
                              final ByteSink sink) {
        final List<Item> items = engine.items().subList(0, cut.items());
        final byte[] chunk = new byte[PAYLOAD_CHUNK];
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            final Item item = items.get(i);
            sink.reset();
            TextBlocks.item(i, item, sink);
            w.block(BlockType.ITEM, sink, true);
            final long offset = payloadBlocks(engine, i, item, w, sink, chunk);
            bytes += offset;
        }
        return bytes;
    }
}
