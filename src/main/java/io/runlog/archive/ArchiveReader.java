package io.runlog.archive;

import io.runlog.internal.IoErrors;
import io.runlog.store.FileSystemFacade;
import io.runlog.ArchiveFormatException;
import io.runlog.Item;
import io.runlog.ProjectKind;
import io.runlog.StoreAccessException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static io.runlog.archive.ArchiveLayout.*;

/**
 * Internal: reads an archive front to back, verifying as it goes, and hands the decoded content
 * to an {@link ArchiveVisitor}. Verifies the file header, every block's CRC32C, the payload
 * coding of every block, the order of blocks and of each metric's points, each item's payload
 * length and SHA-256, the footer's block index and totals against what was read, and the
 * trailer. Any problem is an {@link ArchiveFormatException} naming the byte offset and the block.
 *
 * <p>No length read from the file drives an allocation before it is checked against the bytes
 * the file still holds and a hard cap; reading makes progress on every step, so it cannot hang.
 */
public final class ArchiveReader implements AutoCloseable {
    private final Path file;
    private final String name;
    private final FileChannel channel;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[64 + ByteSink.SLACK];
    private byte[] inflated = new byte[64 + ByteSink.SLACK];
    private final Inflater inflater = new Inflater(true);
    private final PointsBlock points = new PointsBlock();
    private final ByteSink index = new ByteSink(1 << 12);

    // per-read state
    private long position;
    private int minorVersion;
    private int blockNumber;
    private BlockType blockType;
    private long blockOffset;
    private long payloadOffset;
    private int payloadLength;
    private boolean deflatedPayload;

    private ArchiveReader(final Path file, final FileChannel channel, final long size) {
        this.file = file;
        this.name = file.toString();
        this.channel = channel;
        this.size = size;
    }

    /** Opens an archive for reading through the default file system. @throws StoreAccessException if it cannot be opened */
    public static ArchiveReader open(final Path file) {
        return open(FileSystemFacade.DEFAULT, file);
    }

    /** Opens an archive for reading through {@code fs}. @throws StoreAccessException if it cannot be opened */
    public static ArchiveReader open(final FileSystemFacade fs, final Path file) {
        if (file == null) {
            throw new StoreAccessException("archive path is null");
        }
        if (fs.isDirectory(file)) {
            throw new StoreAccessException("archive " + file + " is a directory, not a file");
        }
        try {
            final FileChannel ch = fs.open(file, StandardOpenOption.READ);
            return new ArchiveReader(file, ch, ch.size());
        } catch (final NoSuchFileException e) {
            throw new StoreAccessException("archive " + file + " does not exist", e);
        } catch (final IOException e) {
            throw new StoreAccessException("cannot open archive " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    /** Reads and verifies the whole archive, passing its content to {@code visitor}; returns the summary. */
    public ArchiveSummary read(final ArchiveVisitor visitor) {
        final State st = new State();
        readFileHeader();
        position = FileHeaderDescriptor.LENGTH;
        blockNumber = 0;
        index.reset();
        while (true) {
            if (position == size) {
                throw error(position, blockNumber == 0 ? "after the file header" : "after block #" + (blockNumber - 1),
                    "the archive is truncated: the file ends at byte " + size + " without a footer");
            }
            nextBlock();
            if (blockType == BlockType.FOOTER) {
                final ArchiveTotals totals = footer(st);
                readTrailer();
                return new ArchiveSummary(st.header, st.metricNames, st.metricPoints, totals, blockNumber, size,
                    st.pointBytes, st.blocksByType, minorVersion, st.bases);
            }
            block(st, visitor);
            blockNumber++;
        }
    }

    /** Everything the reader tracks while reading one archive. */
    private static final class State {
        ArchiveHeader header;
        List<String> metricNames;
        long[] metricPoints;
        long[] metricSeen;
        /** The increment's bases (null for a whole archive: every base 0). */
        IncrementBases bases;
        long[] metricBase;
        long points;
        long parameterValues;
        long outputLines;
        long items;
        long prompts;
        long throttleEntries;
        boolean throttleSeen;
        long payloadBytes;
        long pointBytes;
        final long[] blocksByType = new long[128];
    }

    // ------------------------------------------------------------------ structure

    private void readFileHeader() {
        final int length = FileHeaderDescriptor.LENGTH;
        if (size < length) {
            throw error(0, "file header", "the file has " + size + " bytes, fewer than the " + length + "-byte file header"
                + (size == 0 ? ": empty, or truncated to nothing" : ": truncated"));
        }
        final byte[] h = readFully(0, length, "file header");
        final int magicAt = FileHeaderDescriptor.MAGIC_OFFSET;
        if (!Arrays.equals(h, magicAt, magicAt + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw error(magicAt, "file header", "not a Runlog archive: the file does not start with the magic 'RUNLOGAR'");
        }
        crc.reset();
        crc.update(h, 0, FileHeaderDescriptor.CRC_OFFSET);
        final int stored = (int) ByteSink.INT_LE.get(h, FileHeaderDescriptor.CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw error(FileHeaderDescriptor.CRC_OFFSET, "file header", "file header CRC32C mismatch: stored " + hex(stored)
                + ", computed " + hex((int) crc.getValue()));
        }
        final int major = Short.toUnsignedInt((short) ByteSink.SHORT_LE.get(h, FileHeaderDescriptor.MAJOR_OFFSET));
        final int minor = Short.toUnsignedInt((short) ByteSink.SHORT_LE.get(h, FileHeaderDescriptor.MINOR_OFFSET));
        if (major != VERSION_MAJOR) {
            throw error(FileHeaderDescriptor.MAJOR_OFFSET, "file header", "format version " + major + "." + minor
                + " is not readable by this reader (reads " + VERSION_MAJOR + ".x)");
        }
        minorVersion = minor;
    }

    /** Reads the block at {@link #position} into {@link #payload}, verified; advances past it. */
    private void nextBlock() {
        blockOffset = position;
        blockType = null;
        final String where = blockName();
        if (size - position < BlockHeaderDescriptor.LENGTH) {
            throw error(position, where, "the archive is truncated: the file ends " + (size - position) + " bytes into the "
                + BlockHeaderDescriptor.LENGTH + "-byte header of block #" + blockNumber + ", without a footer");
        }
        final byte[] h = readFully(position, BlockHeaderDescriptor.LENGTH, where);
        final long length = Integer.toUnsignedLong((int) ByteSink.INT_LE.get(h, BlockHeaderDescriptor.PAYLOAD_LENGTH_OFFSET));
        final int code = h[BlockHeaderDescriptor.TYPE_OFFSET] & 0xFF;
        final int flags = h[BlockHeaderDescriptor.FLAGS_OFFSET] & 0xFF;
        final int reserved = (short) ByteSink.SHORT_LE.get(h, BlockHeaderDescriptor.RESERVED_OFFSET);
        final BlockType type = BlockType.of(code);
        final String named = "block #" + blockNumber + " (" + (type == null ? "type " + code : type.name()) + ")";
        final long available = size - position - BlockHeaderDescriptor.frameLength(0);
        if (length > available) {
            throw error(position, named, "block declares " + length + " payload bytes but only " + Math.max(0, available)
                + " bytes (and its CRC) follow: the archive is truncated, or the length is damaged");
        }
        if (length > MAX_BLOCK_PAYLOAD) {
            throw error(position, named, "block declares " + length + " payload bytes, more than the cap of "
                + MAX_BLOCK_PAYLOAD);
        }
        final int len = (int) length;
        final byte[] body = payloadBuffer(len);
        readInto(position + BlockHeaderDescriptor.LENGTH, body, len, named);
        final byte[] c = readFully(position + BlockHeaderDescriptor.LENGTH + len, BlockHeaderDescriptor.CRC_LENGTH, named);
        crc.reset();
        crc.update(h, 0, BlockHeaderDescriptor.LENGTH);
        crc.update(body, 0, len);
        final int stored = (int) ByteSink.INT_LE.get(c, 0);
        if (stored != (int) crc.getValue()) {
            throw error(position, named, "CRC32C mismatch: stored " + hex(stored) + ", computed " + hex((int) crc.getValue())
                + " over the block's header and " + len + " payload bytes: the block is damaged");
        }
        if (type == null) {
            throw error(position + BlockHeaderDescriptor.TYPE_OFFSET, named, "unknown block type " + code + newerVersion());
        }
        if ((flags & ~FLAG_DEFLATED) != 0 || reserved != 0 || (type == BlockType.FOOTER && flags != 0)) {
            throw error(position + BlockHeaderDescriptor.FLAGS_OFFSET, named, "unknown flags " + flags
                + " or non-zero reserved bytes" + newerVersion());
        }
        blockType = type;
        payloadOffset = position + BlockHeaderDescriptor.LENGTH;
        payloadLength = len;
        deflatedPayload = (flags & FLAG_DEFLATED) != 0;
        FooterDescriptor.indexEntry(index, position, code, len, stored);
        position += BlockHeaderDescriptor.frameLength(len);
    }

    /** The verified payload of the current block, inflated if it was deflated. */
    private ByteSource payloadSource() {
        if (!deflatedPayload) {
            Arrays.fill(payload, payloadLength, payloadLength + ByteSink.SLACK, (byte) 0);
            return new ByteSource(payload, 0, payloadLength);
        }
        final ByteSource head = new ByteSource(payload, 0, payloadLength);
        final long declared;
        try {
            declared = head.varint("inflated length", 0,
                Math.min(MAX_BLOCK_PAYLOAD, (long) payloadLength * MAX_INFLATE_RATIO + 64));
        } catch (final ByteSource.Malformed m) {
            throw malformed(m, false);
        }
        final int n = (int) declared;
        if (inflated.length < n + ByteSink.SLACK) {
            inflated = new byte[n + ByteSink.SLACK];
        }
        inflater.reset();
        inflater.setInput(payload, head.position(), payloadLength - head.position());
        try {
            int got = 0;
            while (got < n) {
                final int k = inflater.inflate(inflated, got, n - got);
                if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += k;
            }
            final byte[] probe = new byte[1];
            if (got != n || !inflater.finished() && inflater.inflate(probe) > 0 || !inflater.finished()
                || inflater.getRemaining() != 0) {
                throw error(payloadOffset, blockName(), "deflated payload does not inflate to exactly its declared "
                    + n + " bytes");
            }
        } catch (final DataFormatException e) {
            throw error(payloadOffset, blockName(), "deflated payload is malformed: " + e.getMessage());
        }
        Arrays.fill(inflated, n, n + ByteSink.SLACK, (byte) 0);
        return new ByteSource(inflated, 0, n);
    }

    private void block(final State st, final ArchiveVisitor visitor) {
        if (blockNumber == 0 && blockType != BlockType.EXPERIMENT) {
            throw error(blockOffset, blockName(), "the first block must be EXPERIMENT, not " + blockType);
        }
        if (blockNumber == 1 && blockType != BlockType.METRICS) {
            throw error(blockOffset, blockName(), "the second block must be METRICS, not " + blockType);
        }
        if (blockNumber > 1 && (blockType == BlockType.EXPERIMENT || blockType == BlockType.METRICS)) {
            throw error(blockOffset, blockName(), "a second " + blockType + " block");
        }
        if (blockType == BlockType.INCREMENT && blockNumber != 2) {
            throw error(blockOffset, blockName(), "an INCREMENT block must be block #2, right after METRICS");
        }
        if (blockType == BlockType.INCREMENT && minorVersion < VERSION_MINOR_INCREMENT) {
            throw error(blockOffset, blockName(), "an INCREMENT block in a file of version " + VERSION_MAJOR + "."
                + minorVersion + " (INCREMENT is 1.2)");
        }
        st.blocksByType[blockType.code]++;
        final ByteSource in = payloadSource();
        try {
            switch (blockType) {
                case EXPERIMENT -> {
                    st.header = TextBlocks.experiment(in);
                    visitor.experiment(st.header);
                }
                case METRICS -> {
                    final long[][] counts = new long[1][];
                    st.metricNames = TextBlocks.metrics(in, counts);
                    st.metricPoints = counts[0];
                    st.metricSeen = new long[st.metricNames.size()];
                    st.metricBase = new long[st.metricNames.size()];
                    visitor.metrics(st.metricNames, st.metricPoints);
                }
                case POINTS -> {
                    points.decode(in, st.metricNames.size());
                    final int m = points.metric;
                    final long end = st.metricBase[m] + st.metricPoints[m];
                    if (points.first != st.metricSeen[m] || points.n > end - st.metricSeen[m]) {
                        throw new ByteSource.Malformed("points [" + points.first + ", " + (points.first + points.n)
                            + ") of metric '" + st.metricNames.get(m) + "' do not continue at point " + st.metricSeen[m]
                            + " within its " + st.metricPoints[m] + " points from " + st.metricBase[m], 0);
                    }
                    st.metricSeen[m] += points.n;
                    st.points += points.n;
                    st.pointBytes += BlockHeaderDescriptor.frameLength(payloadLength);
                    endOfPayload(in);
                    visitor.points(m, points.first, points.n, points.steps, points.timestamps, points.values);
                    return;
                }
                case PARAMETERS -> {
                    final var list = TextBlocks.parameters(in);
                    st.parameterValues += list.size();
                    endOfPayload(in);
                    visitor.parameters(list);
                    return;
                }
                case OUTPUT -> {
                    final var list = TextBlocks.output(in);
                    st.outputLines += list.size();
                    endOfPayload(in);
                    visitor.output(list);
                    return;
                }
                case PROMPTS -> {
                    final var list = TextBlocks.prompts(in);
                    if (st.header.kind() != ProjectKind.LLM) {
                        throw new ByteSource.Malformed("prompts in an archive of a " + st.header.kind() + " project", 0);
                    }
                    st.prompts += list.size();
                    endOfPayload(in);
                    visitor.prompts(list);
                    return;
                }
                case THROTTLE -> {
                    if (st.throttleSeen) {
                        throw new ByteSource.Malformed("a second THROTTLE block", 0);
                    }
                    st.throttleSeen = true;
                    final var warning = TextBlocks.throttle(in);
                    st.throttleEntries += warning.types().size();
                    endOfPayload(in);
                    visitor.throttle(warning);
                    return;
                }
                case ITEM -> {
                    final Item item = TextBlocks.item(in, st.items);
                    endOfPayload(in);
                    st.items++;
                    st.payloadBytes += item.payloadLength();
                    final PayloadStream stream = new PayloadStream(item, st.items - 1);
                    visitor.item(item, stream);
                    stream.drain();
                    return;
                }
                case INCREMENT -> {
                    st.bases = TextBlocks.increment(in, st.metricNames.size());
                    endOfPayload(in);
                    for (int m = 0; m < st.metricBase.length; m++) {
                        final long base = st.bases.metric(m);
                        if (base > Long.MAX_VALUE - st.metricPoints[m]) {
                            throw new ByteSource.Malformed("metric '" + st.metricNames.get(m) + "' ends beyond 2^63", 0);
                        }
                        st.metricBase[m] = base;
                        st.metricSeen[m] = base;
                    }
                    visitor.increment(st.bases);
                    return;
                }
                case ITEM_PAYLOAD -> throw new ByteSource.Malformed("an ITEM_PAYLOAD block that follows no ITEM", 0);
                default -> throw new ByteSource.Malformed("unexpected block type " + blockType, 0);
            }
            endOfPayload(in);
        } catch (final ByteSource.Malformed m) {
            throw malformed(m, deflatedPayload);
        }
    }

    private static void endOfPayload(final ByteSource in) {
        if (in.hasRemaining()) {
            throw in.malformed(in.remaining() + " bytes left over after the block's content");
        }
    }

    private ArchiveTotals footer(final State st) {
        final ByteSource in = payloadSource();
        try {
            final int blocks = in.count("block count", Integer.MAX_VALUE, FooterDescriptor.MIN_INDEX_ENTRY_LENGTH);
            if (blocks != blockNumber) {
                throw in.malformed("footer lists " + blocks + " blocks, the file holds " + blockNumber);
            }
            final int indexAt = in.position();
            // the reader appended the footer's own entry last: compare everything before it
            final int indexLength = indexLengthBeforeFooter();
            if (indexLength > in.remaining()) {
                throw new ByteSource.Malformed("the footer's block index is shorter than the blocks in the file", indexAt);
            }
            in.skip(indexLength, "block index");
            if (!Arrays.equals(payload, indexAt, indexAt + indexLength, index.array(), 0, indexLength)) {
                throw new ByteSource.Malformed("the footer's block index does not match the blocks in the file", indexAt);
            }
            final int totalsAt = in.position();
            final ArchiveTotals totals = ArchiveTotals.read(in);
            endOfPayload(in);
            if (st.header == null || st.metricNames == null) {
                throw new ByteSource.Malformed("footer before the EXPERIMENT and METRICS blocks", 0);
            }
            final ArchiveTotals counted = new ArchiveTotals(st.metricNames.size(), st.points, st.parameterValues,
                st.outputLines, st.items, st.prompts, st.throttleEntries, st.payloadBytes);
            if (!counted.equals(totals)) {
                throw new ByteSource.Malformed("footer totals " + totals + " differ from the content " + counted, totalsAt);
            }
            for (int m = 0; m < st.metricSeen.length; m++) {
                if (st.metricSeen[m] - st.metricBase[m] != st.metricPoints[m]) {
                    throw new ByteSource.Malformed("metric '" + st.metricNames.get(m) + "' has "
                        + (st.metricSeen[m] - st.metricBase[m]) + " points in POINTS blocks, its METRICS entry says "
                        + st.metricPoints[m], 0);
                }
            }
            return totals;
        } catch (final ByteSource.Malformed m) {
            throw malformed(m, false);
        }
    }

    /** Bytes of the reader's own index for the blocks before the footer. */
    private int indexLengthBeforeFooter() {
        // re-encode the footer entry to learn its length
        final ByteSink probe = new ByteSink(16);
        FooterDescriptor.indexEntry(probe, blockOffset, BlockType.FOOTER.code, payloadLength, 0);
        return index.size() - probe.size();
    }

    private void readTrailer() {
        final long footerOffset = blockOffset;
        final long left = size - position;
        final int length = TrailerDescriptor.LENGTH;
        if (left < length) {
            throw error(position, "trailer", "the archive is truncated: " + left + " of the " + length
                + " trailer bytes are present");
        }
        if (left > length) {
            throw error(position + length, "trailer", (left - length) + " unexpected bytes after the trailer");
        }
        final byte[] t = readFully(position, length, "trailer");
        crc.reset();
        crc.update(t, 0, TrailerDescriptor.CRC_OFFSET);
        if ((int) ByteSink.INT_LE.get(t, TrailerDescriptor.CRC_OFFSET) != (int) crc.getValue()) {
            throw error(position + TrailerDescriptor.CRC_OFFSET, "trailer", "trailer CRC32C mismatch");
        }
        final long pointsTo = (long) ByteSink.LONG_LE.get(t, TrailerDescriptor.FOOTER_OFFSET_OFFSET);
        if (pointsTo != footerOffset) {
            throw error(position + TrailerDescriptor.FOOTER_OFFSET_OFFSET, "trailer", "trailer points to a footer at "
                + pointsTo + ", the footer is at " + footerOffset);
        }
        final int magicAt = TrailerDescriptor.MAGIC_OFFSET;
        if (!Arrays.equals(t, magicAt, magicAt + TRAILER_MAGIC.length, TRAILER_MAGIC, 0, TRAILER_MAGIC.length)) {
            throw error(position + magicAt, "trailer", "trailer does not end with 'RLAE'");
        }
    }

    // ------------------------------------------------------------------ item payloads

    /** Streams an item's payload from the ITEM_PAYLOAD blocks after it, verifying length and SHA-256. */
    private final class PayloadStream extends InputStream {
        private final Item item;
        private final long ordinal;
        private final MessageDigest sha;
        private long delivered;
        private ByteSource chunk;
        private boolean verified;

        PayloadStream(final Item item, final long ordinal) {
            this.item = item;
            this.ordinal = ordinal;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (final NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            if (item.payloadLength() == 0) {
                finish();
            }
        }

        private final byte[] one = new byte[1];

        @Override
        public int read() {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) {
            if (len == 0) {
                return 0;
            }
            if (chunk == null || !chunk.hasRemaining()) {
                if (delivered == item.payloadLength()) {
                    finish();
                    return -1;
                }
                nextChunk();
            }
            final int n = Math.min(len, chunk.remaining());
            final int at = chunk.skip(n, "payload");
            System.arraycopy(chunk.array(), at, b, off, n);
            sha.update(b, off, n);
            delivered += n;
            if (delivered == item.payloadLength() && !chunk.hasRemaining()) {
                finish();
            }
            return n;
        }

        private void nextChunk() {
            blockNumber++;
            if (position == size) {
                throw error(position, "after block #" + (blockNumber - 1), "the archive is truncated inside the payload of item '"
                    + item.name() + "' (" + delivered + " of " + item.payloadLength() + " bytes), without a footer");
            }
            nextBlock();
            if (blockType != BlockType.ITEM_PAYLOAD) {
                throw error(blockOffset, blockName(), "item '" + item.name() + "' has " + delivered + " of its "
                    + item.payloadLength() + " payload bytes; expected an ITEM_PAYLOAD block, found " + blockType);
            }
            final ByteSource in = payloadSource();
            try {
                final int ordinalAt = in.position();
                final long o = in.varint("item ordinal");
                final long offset = in.varint("payload offset");
                if (o != ordinal || offset != delivered) {
                    throw new ByteSource.Malformed("payload chunk of item " + o + " at offset " + offset + ", expected item "
                        + ordinal + " at offset " + delivered, ordinalAt);
                }
                if (!in.hasRemaining() || in.remaining() > item.payloadLength() - delivered) {
                    throw in.malformed("payload chunk of " + in.remaining() + " bytes; item '" + item.name() + "' has "
                        + (item.payloadLength() - delivered) + " bytes left");
                }
            } catch (final ByteSource.Malformed m) {
                throw malformed(m, deflatedPayload);
            }
            chunk = in;
        }

        private void finish() {
            if (verified) {
                return;
            }
            verified = true;
            final String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(item.sha256())) {
                throw error(blockOffset, blockName(), "payload of item '" + item.name() + "' has SHA-256 " + got
                    + ", its ITEM block says " + item.sha256());
            }
        }

        /** Reads (and so verifies) whatever the visitor left unread. */
        void drain() {
            final byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) {
                // verify the rest
            }
        }
    }

    // ------------------------------------------------------------------ I/O and errors

    private byte[] payloadBuffer(final int len) {
        if (payload.length < len + ByteSink.SLACK) {
            payload = new byte[len + ByteSink.SLACK];
        }
        return payload;
    }

    private byte[] readFully(final long at, final int len, final String where) {
        final byte[] b = new byte[len];
        readInto(at, b, len, where);
        return b;
    }

    private void readInto(final long at, final byte[] b, final int len, final String where) {
        final ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
        try {
            while (buf.hasRemaining()) {
                final int n = channel.read(buf, at + buf.position());
                if (n < 0) {
                    throw error(at + buf.position(), where, "the file ended early (it shrank while being read)");
                }
            }
        } catch (final IOException e) {
            throw new StoreAccessException("cannot read archive " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** For an error about something unknown: the archive says a newer minor version than this reader's, if it does. */
    private String newerVersion() {
        return minorVersion > READ_MINOR ? " (the archive is version " + VERSION_MAJOR + "." + minorVersion
            + ", this reader knows " + VERSION_MAJOR + "." + READ_MINOR + ")" : "";
    }

    private String blockName() {
        return "block #" + blockNumber + (blockType == null ? "" : " (" + blockType.name() + ")");
    }

    private ArchiveFormatException malformed(final ByteSource.Malformed m, final boolean inflatedPayload) {
        if (inflatedPayload) {
            return error(payloadOffset, blockName(), m.getMessage() + " (at byte " + m.position
                + " of the inflated payload)");
        }
        return error(payloadOffset + m.position, blockName(), m.getMessage());
    }

    private ArchiveFormatException error(final long offset, final String block, final String what) {
        return new ArchiveFormatException(name, offset, block, what);
    }

    private static String hex(final int v) {
        return String.format("%08x", v);
    }

    @Override
    public void close() {
        inflater.end();
        try {
            channel.close();
        } catch (final IOException e) {
            throw new StoreAccessException("cannot close archive " + file + ": " + IoErrors.describe(e), e);
        }
    }
}
