package io.runlog.damage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * The damage the fuzzer does to one file of a closed store, in place, as an operator's disk,
 * an editor or a careless copy would: each draws its offsets from the case's random numbers, mostly
 * within the file's used extent (up to its last non-zero byte, since Chronicle's cycle files and
 * the ring are sparse and mostly zeros), and returns a description that says exactly what changed.
 */
enum Mutation {
    /** One to three bits flipped. */
    BIT_FLIP,
    /** A run of 1 to 64 bytes overwritten: random bytes, or all 0x00, or all 0xFF. */
    BYTE_RUN,
    /** A 4 KiB page (aligned) overwritten with zeros: a lost or torn page. */
    ZERO_PAGE,
    /** Two equal, non-overlapping ranges of 4 to 512 bytes exchanged. */
    SWAP,
    /** The file cut to a shorter length (to 0, to a page boundary, or anywhere). */
    TRUNCATE,
    /** The file deleted. */
    DELETE,
    /** 1 to 4,096 random bytes appended. */
    APPEND_JUNK;

    static final int PAGE = 4096;

    /**
     * Applies this mutation to {@code file}, whose used extent (bytes up to the last non-zero one)
     * in the undamaged store is {@code used}.
     */
    String apply(final Path file, final long used, final SplittableRandom r) throws IOException {
        final long size = Files.size(file);
        switch (this) {
            case DELETE -> {
                Files.delete(file);
                return "deleted (" + size + " bytes)";
            }
            case TRUNCATE -> {
                final long to;
                final int how = r.nextInt(4);
                final long limit = Math.max(1, Math.min(size, Math.max(used, 1)));
                if (how == 0 || limit <= 1) {
                    to = 0;
                } else if (how == 1 && limit > PAGE) {
                    to = PAGE * (long) r.nextInt((int) Math.max(1, (limit - 1) / PAGE) + 1);
                } else {
                    to = r.nextLong(limit);
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(to);
                }
                return "truncated from " + size + " to " + to + " bytes";
            }
            case APPEND_JUNK -> {
                final byte[] junk = new byte[1 + r.nextInt(PAGE)];
                r.nextBytes(junk);
                Files.write(file, junk, StandardOpenOption.APPEND);
                return "appended " + junk.length + " random bytes at " + size;
            }
            default -> {
            }
        }
        if (size == 0) {
            Files.write(file, new byte[]{(byte) r.nextInt(256)});
            return "empty file given one byte";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (this) {
                case BIT_FLIP -> {
                    final int bits = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
                    final StringBuilder what = new StringBuilder("flipped");
                    for (int i = 0; i < bits; i++) {
                        final long at = offset(size, used, 1, r);
                        final int bit = r.nextInt(8);
                        final byte b = read(ch, at, 1)[0];
                        write(ch, at, new byte[]{(byte) (b ^ (1 << bit))});
                        what.append(i == 0 ? " " : ", ").append("bit ").append(bit).append(" of byte ").append(at);
                    }
                    return what.toString();
                }
                case BYTE_RUN -> {
                    final int len = (int) Math.min(size, 1 + r.nextInt(64));
                    final long at = offset(size, used, len, r);
                    final byte[] run = new byte[len];
                    final int fill = r.nextInt(4); // random bytes half the time, else all 0x00 or all 0xFF
                    if (fill >= 2) {
                        r.nextBytes(run);
                    } else {
                        java.util.Arrays.fill(run, (byte) (fill == 0 ? 0 : 0xFF));
                    }
                    write(ch, at, run);
                    return "overwrote " + len + " bytes at " + at + " with " + (fill >= 2 ? "random bytes"
                        : fill == 0 ? "0x00" : "0xFF");
                }
                case ZERO_PAGE -> {
                    final long pages = (Math.max(1, Math.min(size, used)) + PAGE - 1) / PAGE;
                    final long page = r.nextInt(3) == 0 ? 0 : r.nextLong(pages);
                    final long at = page * PAGE;
                    final int len = (int) Math.min(PAGE, size - at);
                    write(ch, at, new byte[len]);
                    return "zeroed page " + page + " (" + len + " bytes at " + at + ")";
                }
                case SWAP -> {
                    final long extent = Math.max(2, Math.min(size, Math.max(used, 2)));
                    final int len = (int) Math.max(1, Math.min(extent / 2, 4 + r.nextInt(509)));
                    final long a = r.nextLong(extent - 2L * len + 1);
                    final long b = a + len + r.nextLong(extent - a - 2L * len + 1);
                    final byte[] x = read(ch, a, len);
                    final byte[] y = read(ch, b, len);
                    write(ch, a, y);
                    write(ch, b, x);
                    return "swapped " + len + " bytes at " + a + " with those at " + b;
                }
                default -> throw new IllegalStateException(name());
            }
        }
    }

    /** An offset for {@code len} bytes: nine in ten within the used extent, else anywhere. */
    private static long offset(final long size, final long used, final int len, final SplittableRandom r) {
        final long extent = r.nextInt(10) == 0 ? size : Math.max(1, Math.min(size, used));
        return r.nextLong(Math.max(1, extent - len + 1));
    }

    private static byte[] read(final FileChannel ch, final long at, final int len) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        return b.array();
    }

    private static void write(final FileChannel ch, final long at, final byte[] bytes) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }
}
