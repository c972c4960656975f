package io.runlog.archive;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Test support: mutates archive bytes for the fuzzer, and can repair the checksums of a mutated
 * archive (file header, every block, the footer's block index, the trailer) so that the mutation
 * reaches the payload decoders instead of stopping at the first CRC.
 */
final class ArchiveMutator {
    private ArchiveMutator() {
    }

    static byte[] mutate(final byte[] original, final SplittableRandom r) {
        byte[] b = original.clone();
        final int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            switch (r.nextInt(8)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 0x01, 0x40}[r.nextInt(6)];
                case 2 -> {
                    final int at = r.nextInt(b.length);
                    final int n = Math.min(b.length - at, 1 + r.nextInt(10));
                    Arrays.fill(b, at, at + n, (byte) 0xFF);
                }
                case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 4 -> {
                    final int at = r.nextInt(b.length + 1);
                    final byte[] ins = new byte[1 + r.nextInt(16)];
                    r.nextBytes(ins);
                    final byte[] c = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(ins, 0, c, at, ins.length);
                    System.arraycopy(b, at, c, at + ins.length, b.length - at);
                    b = c;
                }
                case 5 -> {
                    final int at = r.nextInt(b.length);
                    final int n = Math.min(b.length - at, 1 + r.nextInt(32));
                    final byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + n, c, at, b.length - at - n);
                    b = c;
                }
                case 6 -> {
                    final int at = r.nextInt(b.length);
                    final int n = Math.min(b.length - at, 4);
                    for (int i = 0; i < n; i++) {
                        b[at + i] = (byte) r.nextInt(256);
                    }
                }
                default -> {
                    final int from = r.nextInt(b.length);
                    final int to = r.nextInt(b.length);
                    final int n = Math.min(Math.min(b.length - from, b.length - to), 1 + r.nextInt(64));
                    System.arraycopy(b, from, b, to, n);
                }
            }
        }
        return b;
    }

    /** Recomputes every checksum the structure still lets it find. */
    static byte[] repairChecksums(final byte[] b) {
        if (b.length < 16) {
            return b;
        }
        final CRC32C crc = new CRC32C();
        crc.update(b, 0, 12);
        putInt(b, 12, (int) crc.getValue());
        final ByteSink index = new ByteSink(256);
        int blocks = 0;
        int pos = 16;
        while (pos + 12 <= b.length) {
            final long len = Integer.toUnsignedLong(getInt(b, pos));
            final long end = pos + 8 + len + 4;
            if (end > b.length) {
                break;
            }
            final int type = b[pos + 4] & 0xFF;
            if (type == BlockType.FOOTER.code && b[pos + 5] == 0) {
                final byte[] rebuilt = rebuildFooter(b, pos + 8, (int) len, index, blocks);
                if (rebuilt != null) {
                    final byte[] c = new byte[pos + 8 + rebuilt.length + 4 + 16];
                    System.arraycopy(b, 0, c, 0, pos + 8);
                    putInt(c, pos, rebuilt.length);
                    System.arraycopy(rebuilt, 0, c, pos + 8, rebuilt.length);
                    crc.reset();
                    crc.update(c, pos, 8 + rebuilt.length);
                    putInt(c, pos + 8 + rebuilt.length, (int) crc.getValue());
                    final int t = pos + 8 + rebuilt.length + 4;
                    ByteSink.LONG_LE.set(c, t, (long) pos);
                    crc.reset();
                    crc.update(c, t, 8);
                    putInt(c, t + 8, (int) crc.getValue());
                    System.arraycopy(ArchiveLayout.TRAILER_MAGIC, 0, c, t + 12, 4);
                    return c;
                }
            }
            crc.reset();
            crc.update(b, pos, (int) (8 + len));
            putInt(b, (int) (pos + 8 + len), (int) crc.getValue());
            FooterDescriptor.indexEntry(index, pos, type, len, (int) crc.getValue());
            blocks++;
            pos = (int) end;
        }
        return b;
    }

    /** The footer payload with a fresh block index and the old totals, or null if the old one cannot be parsed. */
    private static byte[] rebuildFooter(final byte[] b, final int at, final int len, final ByteSink index, final int blocks) {
        final byte[] copy = Arrays.copyOfRange(b, at, at + len + ByteSink.SLACK);
        final ByteSource in = new ByteSource(copy, 0, len);
        try {
            final long n = in.varint("n");
            for (long i = 0; i < n; i++) {
                in.varint("offset");
                in.u8("type");
                in.varint("length");
                in.u32("crc");
            }
        } catch (final ByteSource.Malformed e) {
            return null;
        }
        final ByteSink out = new ByteSink(len + index.size());
        out.varint(blocks);
        out.bytes(index.array(), 0, index.size());
        out.bytes(copy, in.position(), len - in.position());
        return Arrays.copyOf(out.array(), out.size());
    }

    private static int getInt(final byte[] b, final int at) {
        return (int) ByteSink.INT_LE.get(b, at);
    }

    private static void putInt(final byte[] b, final int at, final int v) {
        ByteSink.INT_LE.set(b, at, v);
    }
}
