package io.runlog.damage;

import io.runlog.damage.DamageCase.FileKind;
import io.runlog.store.StoreLayout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of an undamaged store that the fuzzer damages, by kind, each with its used extent (the
 * length up to its last non-zero byte: Chronicle's cycle files and the ring are sparse, and damage to
 * their zero tail is drawn less often).
 */
final class DamageTargets {
    /** A file to damage, relative to the store directory. */
    record Target(FileKind kind, String file, long size, long used) {
        /** The project and experiment the file belongs to, or null for a store or project file. */
        String[] experiment() {
            final String[] parts = file.split("/");
            if (parts.length >= 5 && parts[0].equals(StoreLayout.PROJECTS_DIR)
                && parts[2].equals(StoreLayout.EXPERIMENTS_DIR)) {
                return new String[]{parts[1], parts[3]};
            }
            return null;
        }
    }

    final Map<FileKind, List<Target>> byKind = new EnumMap<>(FileKind.class);
    /** Files of the store that belong to no kind (listed by the test so that none goes unnoticed). */
    final List<String> untargeted = new ArrayList<>();

    static DamageTargets of(final Path store) throws IOException {
        final DamageTargets t = new DamageTargets();
        try (Stream<Path> files = Files.walk(store)) {
            for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                final String rel = store.relativize(f).toString().replace('\\', '/');
                final FileKind kind = kindOf(f);
                if (kind == null) {
                    t.untargeted.add(rel);
                    continue;
                }
                t.byKind.computeIfAbsent(kind, k -> new ArrayList<>())
                    .add(new Target(kind, rel, Files.size(f), usedExtent(f)));
            }
        }
        return t;
    }

    private static FileKind kindOf(final Path f) {
        final String name = f.getFileName().toString();
        final String parent = f.getParent().getFileName().toString();
        if (parent.equals(StoreLayout.JOURNAL_DIR) && name.endsWith(StoreLayout.CYCLE_FILE_SUFFIX)) {
            return FileKind.JOURNAL;
        }
        if (parent.equals(StoreLayout.JOURNAL_DIR) && name.equals(StoreLayout.JOURNAL_METADATA_FILE)) {
            return FileKind.METADATA;
        }
        if (parent.equals(StoreLayout.BLOB_DIR) && name.matches("[0-9a-f]{64}")) {
            return FileKind.PAYLOAD;
        }
        if (name.equals(StoreLayout.RING_FILE)) {
            return FileKind.RING;
        }
        if (name.equals(StoreLayout.STORE_FILE) || name.equals(StoreLayout.PROJECT_FILE)
            || name.equals(StoreLayout.EXPERIMENT_FILE)) {
            return FileKind.PROPERTIES;
        }
        if (parent.equals(StoreLayout.IMPORT_MARKS_DIR) && name.endsWith(StoreLayout.MARK_SUFFIX)) {
            return FileKind.IMPORT_MARK;
        }
        if (name.equals(StoreLayout.MANIFEST_FILE)) {
            return FileKind.MANIFEST;
        }
        if (name.equals(StoreLayout.SOURCE_ID_FILE)) {
            return FileKind.SOURCE_ID;
        }
        return null;
    }

    /** Length up to the last non-zero byte. */
    static long usedExtent(final Path f) throws IOException {
        long used = 0;
        long pos = 0;
        final byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = n - 1; i >= 0; i--) {
                    if (buf[i] != 0) {
                        used = pos + i + 1;
                        break;
                    }
                }
                pos += n;
            }
        }
        return used;
    }
}
