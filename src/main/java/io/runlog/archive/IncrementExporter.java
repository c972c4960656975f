package io.runlog.archive;

import io.runlog.CorruptStoreException;
import io.runlog.HighWaterMark;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.InvalidValueException;
import io.runlog.Item;
import io.runlog.MetricInfo;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Prompt;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleWarning;
import io.runlog.internal.Names;
import io.runlog.store.ExperimentCut;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.ExperimentHeader;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.OutputFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.runlog.archive.ArchiveLayout.*;

/**
 * Internal: writes an increment (archive 1.2, docs/format/archive.md "INCREMENT"): EXPERIMENT,
 * METRICS (every metric of the cut, each with the number of points this increment holds of it),
 * INCREMENT (the bases: the mark it starts from), THROTTLE, then POINTS (round-robin over the
 * metrics, so that a size limit shares the segment between them and metrics logged together
 * share step and timestamp columns), PARAMETERS, OUTPUT, ITEM with ITEM_PAYLOAD, PROMPTS, and
 * the FOOTER. The entries are those of one consistent cut ({@link ExperimentEngine#cut()}) after
 * the mark, within the options' limits.
 *
 * <p>Memory: the POINTS blocks are encoded before the METRICS block (whose counts they decide)
 * and held until it is written, so an export holds at most {@link IncrementOptions#maxBytes()}
 * of encoded points plus one block's columns; text and payloads stream through.
 */
public final class IncrementExporter {
    /** Footer index entry, at most: varint offset (10), type (1), varint length (5), CRC (4). */
    private static final int INDEX_ENTRY_MAX = 20;
    /** Footer block frame, block count and totals (8 varints of at most 10 bytes), and trailer. */
    private static final int FOOTER_FIXED = BlockHeaderDescriptor.LENGTH + BlockHeaderDescriptor.CRC_LENGTH + 10 + 80
        + TrailerDescriptor.LENGTH;

    private IncrementExporter() {
    }

    /** The experiment's source id, created if it has none. */
    public static String sourceId(final ExperimentEngine engine, final FileSystemFacade fs) {
        return SourceIdentity.of(fs, engine.directory());
    }

    /** To a stream the caller owns (not forced, not closed). */
    public static IncrementResult export(final ExperimentEngine engine, final FileSystemFacade fs, final OutputStream out,
                                         final HighWaterMark from, final IncrementOptions options, final long exportedAt) {
        final WritableByteChannel channel = Channels.newChannel(out);
        return new IncrementExporter.Run(engine, fs, from, options, exportedAt).write(channel, "increment stream", false);
    }

    /** To a file, through a temporary file forced and renamed over it. */
    public static IncrementResult export(final ExperimentEngine engine, final FileSystemFacade fs, final Path file,
                                         final HighWaterMark from, final IncrementOptions options, final long exportedAt) {
        final OutputFile out = OutputFile.resolve(file, "increment");
        final Run run = new Run(engine, fs, from, options, exportedAt);
        return out.write(fs, (channel, regular) -> run.write(channel, out.target().toString(), regular));
    }

    /** One export: the cut and the bases are taken when it is created. */
    private static final class Run {
        final ExperimentEngine engine;
        final FileSystemFacade fs;
        final IncrementOptions options;
        final long exportedAt;
        final String sourceId;
        final ExperimentCut cut;
        final ThrottleWarning throttle;
        final HighWaterMark from;
        final long[] metricBase;
        final long[] metricTaken;
        final Map<String, Long> parameterBase = new LinkedHashMap<>();
        final Map<String, Long> parameterTaken = new LinkedHashMap<>();
        long outputTaken;
        long itemsTaken;
        long promptsTaken;
        long points;
        long entries;
        long payloadBytes;
        int blocks;
        boolean limited;
        /** Entries other than points this increment may still take ({@link IncrementOptions#maxEntries()}). */
        long entriesLeft;

        Run(final ExperimentEngine engine, final FileSystemFacade fs, final HighWaterMark from,
            final IncrementOptions options, final long exportedAt) {
            this.engine = engine;
            this.fs = fs;
            this.options = options;
            this.exportedAt = exportedAt;
            this.entriesLeft = options.maxEntries();
            this.sourceId = SourceIdentity.of(fs, engine.directory());
            if (from.sourceId() != null && !from.sourceId().equals(sourceId)) {
                throw new InvalidValueException("mark of source " + from.sourceId() + " given for an increment of "
                    + engine.displayName() + ", whose source id is " + sourceId);
            }
            this.cut = engine.cut();
            this.throttle = engine.throttleWarning();
            this.from = from;
            final List<MetricInfo> metrics = cut.metrics();
            metricBase = new long[metrics.size()];
            metricTaken = new long[metrics.size()];
            final Map<String, Long> known = new LinkedHashMap<>();
            for (int m = 0; m < metrics.size(); m++) {
                metricBase[m] = ahead("metric '" + Names.preview(metrics.get(m).name()) + "'",
                    from.metricPoints(metrics.get(m).name()), metrics.get(m).count());
                known.put(metrics.get(m).name(), 0L);
            }
            for (final String name : from.metrics().keySet()) {
                if (!known.containsKey(name) && from.metricPoints(name) > 0) {
                    ahead("metric '" + Names.preview(name) + "'", from.metricPoints(name), 0);
                }
            }
            for (final Map.Entry<String, Integer> p : cut.parameterValues().entrySet()) {
                parameterBase.put(p.getKey(), ahead("parameter '" + Names.preview(p.getKey()) + "'",
                    from.parameterValues(p.getKey()), p.getValue()));
                parameterTaken.put(p.getKey(), 0L);
            }
            for (final String name : from.parameters().keySet()) {
                if (!parameterBase.containsKey(name) && from.parameterValues(name) > 0) {
                    ahead("parameter '" + Names.preview(name) + "'", from.parameterValues(name), 0);
                }
            }
            ahead("output lines", from.outputLines(), cut.outputLines());
            ahead("items", from.items(), cut.items());
            ahead("prompts", from.prompts(), cut.prompts());
        }

        private static long ahead(final String stream, final long mark, final long have) {
            if (mark > have) {
                throw new InvalidValueException("the mark counts " + mark + " of " + stream + ", the experiment holds "
                    + have + ": the mark is not of this experiment's history");
            }
            return mark;
        }

        IncrementResult write(final WritableByteChannel channel, final String name, final boolean regular) {
            final ByteSink sink = new ByteSink(1 << 16);
            final ExperimentHeader h = engine.header();
            final long budget = options.maxBytes();
            // the fixed blocks, measured before the data so that the budget knows what is left
            final ByteSink experiment = new ByteSink(256);
            TextBlocks.experiment(new ArchiveHeader(h.project(), h.kind(), h.key(), h.createdAt(), h.offline(), sourceId,
                exportedAt), experiment);
            final List<String> names = new ArrayList<>();
            for (final MetricInfo info : cut.metrics()) {
                names.add(info.name());
            }
            final long[] most = new long[names.size()];
            for (int m = 0; m < most.length; m++) {
                most[m] = options.includes(DataType.METRICS) ? cut.metrics().get(m).count() - metricBase[m] : 0;
            }
            final ByteSink metricsProbe = new ByteSink(1 << 12);
            TextBlocks.metrics(names, most, metricsProbe); // counts at most these: an upper bound of the block's size
            final ByteSink increment = new ByteSink(1 << 12);
            TextBlocks.increment(bases(), increment);
            final ByteSink throttleBlock = new ByteSink(256);
            TextBlocks.throttle(throttle, throttleBlock);
            long used = FileHeaderDescriptor.LENGTH + FOOTER_FIXED + frame(experiment.size()) + frame(metricsProbe.size())
                + frame(increment.size()) + frame(throttleBlock.size()) + 4L * INDEX_ENTRY_MAX;
            final List<byte[]> pointBlocks = new ArrayList<>();
            if (options.includes(DataType.METRICS)) {
                used = planPoints(pointBlocks, used, budget);
            }
            try (ArchiveWriter w = ArchiveWriter.over(channel, name, regular, VERSION_MINOR_INCREMENT)) {
                w.block(BlockType.EXPERIMENT, experiment, false);
                sink.reset();
                TextBlocks.metrics(names, metricTaken, sink);
                w.block(BlockType.METRICS, sink, true);
                w.block(BlockType.INCREMENT, increment, true);
                w.block(BlockType.THROTTLE, throttleBlock, false);
                blocks = 4;
                for (final byte[] b : pointBlocks) {
                    sink.reset();
                    sink.bytes(b, 0, b.length);
                    w.block(BlockType.POINTS, sink, false);
                    blocks++;
                }
                pointBlocks.clear();
                final long[] left = {budget - used};
                if (options.includes(DataType.PARAMETERS)) {
                    parameters(w, sink, left);
                }
                if (options.includes(DataType.OUTPUT)) {
                    final List<OutputLine> lines = engine.outputLines().subList((int) from.outputLines(), cut.outputLines());
                    outputTaken = texts(lines, TextBlocks::output, BlockType.OUTPUT, w, sink, left);
                }
                if (options.includes(DataType.OTHER)) {
                    items(w, sink, left);
                    final List<Prompt> prompts = engine.prompts().subList((int) from.prompts(), cut.prompts());
                    promptsTaken = texts(prompts, TextBlocks::prompt, BlockType.PROMPTS, w, sink, left);
                }
                sink.reset();
                long parameterValues = 0;
                for (final long n : parameterTaken.values()) {
                    parameterValues += n;
                }
                new ArchiveTotals(names.size(), points, parameterValues, outputTaken, itemsTaken, promptsTaken,
                    throttle.types().size(), payloadBytes).write(sink);
                w.finish(sink);
                entries = parameterValues + outputTaken + itemsTaken + promptsTaken;
                return new IncrementResult(withSource(from), to(), w.offset(), points, entries, !limited && complete());
            }
        }

        private IncrementBases bases() {
            final Map<String, Long> params = new LinkedHashMap<>();
            for (final Map.Entry<String, Long> e : parameterBase.entrySet()) {
                if (e.getValue() > 0) {
                    params.put(e.getKey(), e.getValue());
                }
            }
            return new IncrementBases(metricBase, params, from.outputLines(), from.items(), from.prompts());
        }

        private HighWaterMark withSource(final HighWaterMark m) {
            return new HighWaterMark(sourceId, m.metrics(), m.parameters(), m.outputLines(), m.items(), m.prompts());
        }

        private HighWaterMark to() {
            final Map<String, Long> metrics = new LinkedHashMap<>();
            for (int m = 0; m < metricBase.length; m++) {
                metrics.put(cut.metrics().get(m).name(), metricBase[m] + metricTaken[m]);
            }
            final Map<String, Long> params = new LinkedHashMap<>();
            for (final Map.Entry<String, Long> e : parameterBase.entrySet()) {
                params.put(e.getKey(), e.getValue() + parameterTaken.get(e.getKey()));
            }
            return new HighWaterMark(sourceId, metrics, params, from.outputLines() + outputTaken,
                from.items() + itemsTaken, from.prompts() + promptsTaken);
        }

        /** True if every stream of the types asked for reached the cut. */
        private boolean complete() {
            if (options.includes(DataType.METRICS)) {
                for (int m = 0; m < metricBase.length; m++) {
                    if (metricBase[m] + metricTaken[m] < cut.metrics().get(m).count()) {
                        return false;
                    }
                }
            }
            if (options.includes(DataType.PARAMETERS)) {
                for (final Map.Entry<String, Integer> p : cut.parameterValues().entrySet()) {
                    if (parameterBase.get(p.getKey()) + parameterTaken.get(p.getKey()) < p.getValue()) {
                        return false;
                    }
                }
            }
            if (options.includes(DataType.OUTPUT) && from.outputLines() + outputTaken < cut.outputLines()) {
                return false;
            }
            return !options.includes(DataType.OTHER)
                || (from.items() + itemsTaken >= cut.items() && from.prompts() + promptsTaken >= cut.prompts());
        }

        private static long frame(final long payload) {
            return BlockHeaderDescriptor.LENGTH + payload + BlockHeaderDescriptor.CRC_LENGTH;
        }

        /** Encodes POINTS blocks round-robin over the metrics within the budget and the point limit. */
        private long planPoints(final List<byte[]> out, final long usedBefore, final long budget) {
            long used = usedBefore;
            long pointsLeft = options.maxPoints();
            final PointsBlock coder = new PointsBlock();
            final long[] steps = new long[MAX_POINTS_PER_BLOCK];
            final long[] timestamps = new long[MAX_POINTS_PER_BLOCK];
            final long[] values = new long[MAX_POINTS_PER_BLOCK];
            final ByteSink sink = new ByteSink(1 << 16);
            boolean progress = true;
            while (progress && pointsLeft > 0) {
                progress = false;
                for (int m = 0; m < metricBase.length && pointsLeft > 0; m++) {
                    final MetricInfo info = cut.metrics().get(m);
                    final long next = metricBase[m] + metricTaken[m];
                    int len = (int) Math.min(MAX_POINTS_PER_BLOCK, Math.min(info.count() - next, pointsLeft));
                    if (len <= 0) {
                        continue;
                    }
                    final int read = engine.readPoints(info.name(), next, steps, timestamps, values, len);
                    if (read != len) {
                        throw new CorruptStoreException("metric '" + info.name() + "' returned " + read + " points at "
                            + next + ", its count says " + info.count());
                    }
                    while (true) {
                        sink.reset();
                        coder.encode(m, next, steps, timestamps, values, 0, len, sink);
                        final long cost = frame(sink.size()) + INDEX_ENTRY_MAX;
                        if (used + cost <= budget || (out.isEmpty() && len == 1)) {
                            break;
                        }
                        if (len == 1) {
                            limited = true;
                            return used;
                        }
                        len = len / 2; // a shorter block (its n differs, so the coder's "same as previous" stays right)
                    }
                    out.add(Arrays.copyOf(sink.array(), sink.size()));
                    used += frame(sink.size()) + INDEX_ENTRY_MAX;
                    metricTaken[m] += len;
                    points += len;
                    pointsLeft -= len;
                    progress = true;
                }
            }
            if (pointsLeft == 0) {
                limited = true;
            }
            return used;
        }

        private void parameters(final ArchiveWriter w, final ByteSink sink, final long[] left) {
            final List<Parameter> all = new ArrayList<>();
            for (final Map.Entry<String, Integer> e : cut.parameterValues().entrySet()) {
                all.addAll(engine.parameterHistory(e.getKey()).subList(parameterBase.get(e.getKey()).intValue(),
                    e.getValue()));
            }
            final long n = texts(all, TextBlocks::parameter, BlockType.PARAMETERS, w, sink, left);
            for (int i = 0; i < n; i++) {
                parameterTaken.merge(all.get(i).name(), 1L, Long::sum);
            }
        }

        private interface EntryCoder<T> {
            void encode(T entry, ByteSink out);
        }

        /**
         * Writes entries in blocks of about {@link ArchiveLayout#TEXT_BLOCK_TARGET} bytes while
         * they fit what is left of the budget (sizes before compression: an upper bound); at least
         * one entry if the increment holds nothing yet. Returns how many it wrote.
         */
        private <T> long texts(final List<T> list, final EntryCoder<T> coder, final BlockType type,
                               final ArchiveWriter w, final ByteSink sink, final long[] left) {
            final ByteSink body = new ByteSink(1 << 16);
            final ByteSink one = new ByteSink(1 << 10);
            int inBlock = 0;
            long written = 0;
            for (int i = 0; i < list.size(); i++) {
                if (entriesLeft <= 0) {
                    limited = true;
                    break;
                }
                one.reset();
                coder.encode(list.get(i), one);
                final long cost = one.size() + (inBlock == 0 ? frame(10) + INDEX_ENTRY_MAX : 0);
                final boolean empty = written == 0 && inBlock == 0 && nothingYet();
                if (cost > left[0] && !empty) {
                    limited = true;
                    break;
                }
                if (inBlock > 0 && body.size() + one.size() > TEXT_BLOCK_TARGET) {
                    flush(type, inBlock, body, w, sink);
                    written += inBlock;
                    inBlock = 0;
                    left[0] -= frame(10) + INDEX_ENTRY_MAX;
                }
                body.bytes(one.array(), 0, one.size());
                left[0] -= one.size();
                inBlock++;
                entriesLeft--;
            }
            if (inBlock > 0) {
                flush(type, inBlock, body, w, sink);
                written += inBlock;
            }
            return written;
        }

        /** True while the increment holds no entry (a first entry is taken whatever its size, so every export progresses). */
        private boolean nothingYet() {
            return points == 0 && itemsTaken == 0 && outputTaken == 0 && promptsTaken == 0
                && parameterTaken.values().stream().allMatch(n -> n == 0);
        }

        private void flush(final BlockType type, final int n, final ByteSink body, final ArchiveWriter w,
                           final ByteSink sink) {
            sink.reset();
            sink.varint(n);
            sink.bytes(body.array(), 0, body.size());
            w.block(type, sink, true);
            blocks++;
            body.reset();
        }

        /** Items whole (record and payload), while they fit; at least one if the increment holds nothing yet. */
        private void items(final ArchiveWriter w, final ByteSink sink, final long[] left) {
            final List<Item> items = engine.items().subList((int) from.items(), cut.items());
            final byte[] chunk = new byte[PAYLOAD_CHUNK];
            for (int i = 0; i < items.size(); i++) {
                if (entriesLeft <= 0) {
                    limited = true;
                    return;
                }
                final Item item = items.get(i);
                sink.reset();
                TextBlocks.item(i, item, sink);
                final long chunks = (item.payloadLength() + PAYLOAD_CHUNK - 1) / PAYLOAD_CHUNK;
                final long cost = frame(sink.size()) + INDEX_ENTRY_MAX + item.payloadLength()
                    + chunks * (frame(20) + INDEX_ENTRY_MAX);
                final boolean empty = nothingYet();
                if (cost > left[0] && !empty) {
                    limited = true;
                    return;
                }
                left[0] -= cost;
                w.block(BlockType.ITEM, sink, true);
                final long offset = ArchiveExporter.payloadBlocks(engine, i, item, w, sink, chunk);
                payloadBytes += offset;
                itemsTaken++;
                entriesLeft--;
            }
        }
    }
}
