package io.runlog.archive;

import io.runlog.codec.ValueMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Hand-made hostile archives with valid checksums, each lying in one length or count field, kept
 * in {@code src/test/resources/archive/fuzz/} as regression inputs of {@link ArchiveFuzzTest}.
 * {@code main(dir)} rewrites them.
 */
final class HostileArchives {
    private HostileArchives() {
    }

    static Map<String, byte[]> all() {
        final Map<String, byte[]> m = new LinkedHashMap<>();
        final ByteSink experiment = new ByteSink(64);
        TextBlocks.experiment(new ArchiveHeader("p", io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT, "e", 0, false,
            "00000000000000000000000000000000", 0), experiment);
        final ByteSink metrics = new ByteSink(64);
        metrics.varint(1);
        metrics.string("m");
        metrics.varint(3);

        m.put("huge-block-length", file(block(experiment, 1, 0), withLength(block(metrics, 2, 0), 0x7FFFFFF0)));

        final ByteSink bomb = new ByteSink(64);
        bomb.varint(ArchiveLayout.MAX_BLOCK_PAYLOAD);
        bomb.bytes(new byte[] {0x03, 0x00}, 0, 2); // an empty final deflate block
        m.put("inflate-bomb", file(block(experiment, 1, 0), block(bomb, 2, ArchiveLayout.FLAG_DEFLATED)));

        final ByteSink varint = new ByteSink(64);
        for (int i = 0; i < 10; i++) {
            varint.u8(0xFF);
        }
        varint.u8(0x01);
        m.put("varint-overflow", file(block(experiment, 1, 0), block(varint, 2, 0)));

        final ByteSink points = new ByteSink(64);
        points.varint(0);
        points.varint(0);
        points.varint(ArchiveLayout.MAX_POINTS_PER_BLOCK);
        points.u8(0);
        points.u8(0);
        m.put("points-count-lie", file(block(experiment, 1, 0), block(metrics, 2, 0), block(points, 3, 0)));

        final ByteSink exceptions = new ByteSink(64);
        exceptions.varint(0);
        exceptions.varint(0);
        exceptions.varint(3);
        exceptions.u8(1); // steps: same as previous, but there is no previous block
        m.put("same-as-missing-previous", file(block(experiment, 1, 0), block(metrics, 2, 0), block(exceptions, 3, 0)));

        final ByteSink values = new ByteSink(64);
        values.varint(0);
        values.varint(0);
        values.varint(3);
        for (int c = 0; c < 2; c++) {
            values.u8(0);
            values.u8(0);
            values.zigzag(0);
            values.u8(0);
        }
        values.u8(ValueMode.ARCHIVE_DECIMAL);
        values.u8(2);
        values.varint(Long.MAX_VALUE); // exception count
        m.put("exception-count-lie", file(block(experiment, 1, 0), block(metrics, 2, 0), block(values, 3, 0)));

        final ByteSink width = new ByteSink(64);
        width.varint(0);
        width.varint(0);
        width.varint(3);
        width.u8(0);
        width.u8(0);
        width.zigzag(0);
        width.u8(200); // frame width
        m.put("frame-width-lie", file(block(experiment, 1, 0), block(metrics, 2, 0), block(width, 3, 0)));

        final ByteSink footer = new ByteSink(64);
        footer.varint(Integer.MAX_VALUE);
        m.put("footer-count-lie", file(block(experiment, 1, 0), block(metrics, 2, 0), block(footer, 127, 0)));
        return m;
    }

    static byte[] block(final ByteSink payload, final int type, final int flags) {
        final ByteSink b = new ByteSink(payload.size() + 16);
        b.u32(payload.size());
        b.u8(type);
        b.u8(flags);
        b.u8(0);
        b.u8(0);
        b.bytes(payload.array(), 0, payload.size());
        final CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.size());
        b.u32((int) crc.getValue());
        return Arrays.copyOf(b.array(), b.size());
    }

    private static byte[] withLength(final byte[] block, final int length) {
        ByteSink.INT_LE.set(block, 0, length);
        return block;
    }

    private static byte[] file(final byte[]... blocks) {
        final ByteSink f = new ByteSink(256);
        f.bytes(ArchiveLayout.MAGIC, 0, 8);
        f.u8(ArchiveLayout.VERSION_MAJOR);
        f.u8(0);
        f.u8(ArchiveLayout.VERSION_MINOR);
        f.u8(0);
        final CRC32C crc = new CRC32C();
        crc.update(f.array(), 0, 12);
        f.u32((int) crc.getValue());
        for (final byte[] b : blocks) {
            f.bytes(b, 0, b.length);
        }
        return Arrays.copyOf(f.array(), f.size());
    }

    public static void main(final String[] args) throws IOException {
        final Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/archive/fuzz");
        Files.createDirectories(dir);
        for (final Map.Entry<String, byte[]> e : all().entrySet()) {
            Files.write(dir.resolve(e.getKey() + ".rla"), e.getValue());
        }
    }
}
