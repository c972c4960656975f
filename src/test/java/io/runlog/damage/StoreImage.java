package io.runlog.damage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * An undamaged store held in memory, written out afresh for every case: each file's bytes up to
 * its last non-zero byte, then extended to its length (Chronicle's cycle files and the ring are
 * sparse: this writes a few KiB of a 1.3 MiB cycle file, and the copy reads exactly as the original).
 * The store lock file is left out (a store creates it when it opens).
 */
final class StoreImage {
    private record Entry(String path, boolean directory, byte[] used, long size) {
    }

    private final List<Entry> entries = new ArrayList<>();

    static StoreImage of(final Path store) throws IOException {
        final StoreImage image = new StoreImage();
        try (Stream<Path> files = Files.walk(store)) {
            for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
                final String rel = store.relativize(f).toString();
                if (Files.isDirectory(f)) {
                    image.entries.add(new Entry(rel, true, null, 0));
                } else if (!f.getFileName().toString().equals("runlog.lock")) {
                    final byte[] all = Files.readAllBytes(f);
                    int used = all.length;
                    while (used > 0 && all[used - 1] == 0) {
                        used--;
                    }
                    image.entries.add(new Entry(rel, false, Arrays.copyOf(all, used), all.length));
                }
            }
        }
        return image;
    }

    void writeTo(final Path dir) throws IOException {
        for (final Entry e : entries) {
            final Path p = e.path.isEmpty() ? dir : dir.resolve(e.path);
            if (e.directory) {
                Files.createDirectories(p);
                continue;
            }
            Files.write(p, e.used);
            if (e.size > e.used.length) {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.setLength(e.size);
                }
            }
        }
    }
}
