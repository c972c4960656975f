package io.runlog.archive;

import io.runlog.testing.TestSeed;
import io.runlog.ArchiveFormatException;
import io.runlog.Experiment;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damaged archives: every truncation and every single-byte change of a small archive, and random
 * ones of a large archive, must fail with an {@link ArchiveFormatException} that names the byte
 * offset and the block; a truncated file must say it is truncated; an import of a damaged archive
 * must leave the target store unchanged.
 */
class ArchiveCorruptionTest {
    @TempDir
    Path dir;
    private byte[] small;

    @BeforeEach
    void exportSmallArchive() throws IOException {
        small = export("small", 40);
    }

    private byte[] export(final String name, final int points) throws IOException {
        final Path archive = dir.resolve(name + ".rla");
        try (RunlogStore store = ArchiveFixtures.open(dir.resolve("source-" + name))) {
            ArchiveFixtures.fill(store, points, 0);
            store.exportExperiment("llm", "run", archive);
        }
        return Files.readAllBytes(archive);
    }

    private ArchiveFormatException readDamaged(final byte[] content, final String what) throws IOException {
        final Path file = dir.resolve("damaged.rla");
        Files.write(file, content);
        try (ArchiveReader r = ArchiveReader.open(file)) {
            final ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> r.read(new ArchiveVisitor() {
            }), what);
            assertTrue(e.offset() >= 0 && e.offset() <= content.length, what + ": offset " + e.offset());
            assertFalse(e.block().isEmpty(), what);
            assertTrue(e.getMessage().contains("at byte offset " + e.offset()), e.getMessage());
            return e;
        }
    }

    @Test
    void shouldReadTheUndamagedArchive() throws IOException {
        final Path file = dir.resolve("ok.rla");
        Files.write(file, small);
        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertEquals(80 + 40 / 7 + 1, r.read(new ArchiveVisitor() {
            }).totals().points());
        }
    }

    @Test
    void shouldReportEveryTruncationAsTruncated() throws IOException {
        for (int length = 0; length < small.length; length++) {
            final ArchiveFormatException e = readDamaged(Arrays.copyOf(small, length), "truncated to " + length);
            assertTrue(e.getMessage().contains("truncated"), "truncated to " + length + ": " + e.getMessage());
            assertTrue(e.offset() <= length, e.getMessage());
        }
    }

    @Test
    void shouldDetectEverySingleByteChange() throws IOException {
        final SplittableRandom r = new SplittableRandom(5);
        for (int at = 0; at < small.length; at++) {
            final byte[] damaged = small.clone();
            damaged[at] ^= (byte) (1 + r.nextInt(255));
            final ArchiveFormatException e = readDamaged(damaged, "byte " + at + " changed");
            assertFalse(e.getMessage().contains("truncated") && at >= 16 && !e.getMessage().contains("length"),
                "a changed byte is not a truncation: " + e.getMessage());
        }
    }

    @Test
    void shouldRejectTrailingBytesAfterACompleteArchive() throws IOException {
        final byte[] longer = Arrays.copyOf(small, small.length + 3);
        assertTrue(readDamaged(longer, "3 bytes appended").getMessage().contains("after the trailer"));
    }

    @Test
    void shouldDetectTruncationsAndChangesAtRandomOffsetsOfALargeArchive() throws IOException {
        final byte[] large = export("large", 150_000);
        final long seed = TestSeed.of("ArchiveCorruptionTest");
        System.out.println("ArchiveCorruptionTest.large seed=" + seed + " size=" + large.length);
        final SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 60; i++) {
            final int length = r.nextInt(large.length);
            assertTrue(readDamaged(Arrays.copyOf(large, length), "truncated to " + length + " (seed " + seed + ")")
                .getMessage().contains("truncated"));
            final byte[] damaged = large.clone();
            final int at = r.nextInt(large.length);
            damaged[at] ^= (byte) (1 + r.nextInt(255));
            readDamaged(damaged, "byte " + at + " changed (seed " + seed + ")");
        }
    }

    @Test
    void shouldLeaveAnEmptyTargetStoreUnchangedWhenTheArchiveIsDamaged() throws IOException {
        final Path file = dir.resolve("damaged.rla");
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            for (int at = 0; at < small.length; at += 7) {
                final byte[] damaged = small.clone();
                damaged[at] ^= 0x40;
                Files.write(file, damaged);
                assertThrows(ArchiveFormatException.class, () -> target.importArchive(file));
                Files.write(file, Arrays.copyOf(small, at));
                assertThrows(ArchiveFormatException.class, () -> target.importArchive(file));
            }
            assertEquals(0, target.projects().size(), "a damaged import created a project");
        }
    }

    @Test
    void shouldLeaveATargetExperimentUnchangedWhenALaterArchiveIsDamaged() throws IOException {
        final Path early = dir.resolve("early.rla");
        final Path late = dir.resolve("late.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("src2"))) {
            ArchiveFixtures.fill(source, 500, 0);
            source.exportExperiment("llm", "run", early);
            ArchiveFixtures.fill(source, 500, 500);
            source.exportExperiment("llm", "run", late);
        }
        final byte[] lateBytes = Files.readAllBytes(late);
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"));
             RunlogStore reference = ArchiveFixtures.open(dir.resolve("reference"))) {
            target.importArchive(early);
            reference.importArchive(early);
            final SplittableRandom r = new SplittableRandom(11);
            for (int i = 0; i < 40; i++) {
                final byte[] damaged = lateBytes.clone();
                damaged[r.nextInt(damaged.length)] ^= (byte) (1 + r.nextInt(255));
                Files.write(late, damaged);
                assertThrows(ArchiveFormatException.class, () -> target.importArchive(late));
                Files.write(late, Arrays.copyOf(lateBytes, r.nextInt(lateBytes.length)));
                assertThrows(ArchiveFormatException.class, () -> target.importArchive(late));
            }
            try (Experiment a = reference.project("llm").openExperiment("run");
                 Experiment b = target.project("llm").openExperiment("run")) {
                ArchiveFixtures.assertSameContent(a, b);
            }
        }
    }
}
