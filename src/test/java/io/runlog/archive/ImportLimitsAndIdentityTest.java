package io.runlog.archive;

import io.runlog.AlreadyExistsException;
import io.runlog.ArchiveFormatException;
import io.runlog.Experiment;
import io.runlog.HardLimitException;
import io.runlog.HardLimits;
import io.runlog.ImportResult;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/** Review of issue 5: the prompts-per-project quota on import, hostile files, concurrent imports of one source. */
class ImportLimitsAndIdentityTest {
    @TempDir
    Path dir;

    /** An archive of llm/run holding {@code fills} prompts (one per fill). */
    private Path export(final String name, final int fills) {
        final Path archive = dir.resolve(name + ".rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source-" + name))) {
            for (int f = 0; f < fills; f++) {
                ArchiveFixtures.fill(source, 50, f * 50);
            }
            source.exportExperiment("llm", "run", archive);
        }
        return archive;
    }

    // ------------------------------------------------------------------ promptsPerProject

    @Test
    void shouldRejectAnImportOverThePromptsPerProjectLimitBeforeWritingAnything() {
        final Path archive = export("three-prompts", 3);
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options()
            .hardLimits(new HardLimits().promptsPerProject(2)))) {
            final HardLimitException e = assertThrows(HardLimitException.class, () -> target.importArchive(archive),
                "an archive with 3 prompts must not enter a project limited to 2 prompts");
            assertEquals("promptsPerProject", e.limitName());
            assertTrue(target.projects().isEmpty(), "nothing created");
        }
    }

    @Test
    void shouldCountImportedPromptsAgainstTheProjectQuota() {
        final Path archive = export("one-prompt", 1);
        try (RunlogStore target = RunlogStore.open(dir.resolve("target"), ArchiveFixtures.options()
            .hardLimits(new HardLimits().promptsPerProject(2)))) {
            try (Experiment local = target.projectOrCreate("llm", ProjectKind.LLM).createExperiment("local")) {
                local.logPrompt("local prompt", "r", Map.of()); // the project's counter is now loaded: 1
            }
            target.importArchive(archive); // + 1 prompt: the project is full
            assertEquals(2, target.project("llm").promptCount(), "imported prompts count");
            try (Experiment local = target.project("llm").openExperiment("local")) {
                assertThrows(HardLimitException.class, () -> local.logPrompt("third", "r", Map.of()),
                    "a third prompt passes a promptsPerProject limit of 2");
            }
        }
    }

    // ------------------------------------------------------------------ provenance

    @Test
    void shouldAddNothingWhenTheExportOfAnImportedCopyComesBackToItsSource() {
        final Path a = dir.resolve("a.rla");
        final Path b = dir.resolve("b.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 1_000, 0);
            source.exportExperiment("llm", "run", a);
        }
        try (RunlogStore server = ArchiveFixtures.open(dir.resolve("server"))) {
            server.importArchive(a);
            server.exportExperiment("llm", "run", b); // the same experiment, nothing new in it
        }
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            final ImportResult back = source.importArchive(b);
            assertEquals(0, back.added(), "the source already holds every entry of b: " + back);
        }
    }

    @Test
    void shouldRefuseToMergeAnArchiveIntoALocalExperimentOfTheSameKeyThatHoldsData() {
        final Path archive = export("foreign", 1);
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            try (Experiment local = target.projectOrCreate("llm", ProjectKind.LLM).createExperiment("run")) {
                local.log("loss", 0, 1.0);
            }
            final AlreadyExistsException e = assertThrows(AlreadyExistsException.class, () -> target.importArchive(archive));
            assertTrue(e.getMessage().contains("did not come from the source of archive"), e.getMessage());
            try (Experiment local = target.project("llm").openExperiment("run")) {
                assertEquals(1, local.pointCount(), "the local experiment is unchanged");
            }
        }
    }

    @Test
    void shouldImportIntoAnEmptyLocalExperimentOfTheSameKey() {
        final Path archive = export("into-empty", 1);
        try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            target.projectOrCreate("llm", ProjectKind.LLM).createExperiment("run").close();
            assertTrue(target.importArchive(archive).added() > 0);
            assertEquals(0, target.importArchive(archive).added());
        }
    }

    // ------------------------------------------------------------------ resuming an incremental import

    @Test
    void shouldEndAsOneCleanImportWhenAnIncrementalImportDiedAfterWritingSomeNewEntries() {
        final Path source = dir.resolve("source");
        final Path early = dir.resolve("early.rla");
        final Path later = dir.resolve("later.rla");
        try (RunlogStore s = ArchiveFixtures.open(source)) {
            ArchiveFixtures.fill(s, 2_000, 0);
            s.exportExperiment("llm", "run", early);
            ArchiveFixtures.fill(s, 2_000, 2_000);
            s.exportExperiment("llm", "run", later);
        }
        final Path target = dir.resolve("target");
        try (RunlogStore s = ArchiveFixtures.open(source);
             RunlogStore t = ArchiveFixtures.open(target)) {
            t.importArchive(early);
            // what an import of the later archive killed midway leaves: some of its new entries, no new mark
            try (Experiment from = s.project("llm").openExperiment("run");
                 Experiment to = t.project("llm").openExperiment("run")) {
                for (final String metric : new String[] {"train/loss", "lr"}) {
                    final io.runlog.MetricSeries all = from.readMetric(metric);
                    final long have = to.readMetric(metric).size();
                    for (int i = (int) have; i < have + 700; i++) {
                        to.metric(metric).log(all.step(i), all.timestamp(i), Double.longBitsToDouble(all.valueBits(i)));
                    }
                }
                to.sync();
            }
            final ImportResult r = t.importArchive(later);
            assertEquals(1_400, r.pointsSkipped() - countPoints(early), "the entries the killed run wrote are skipped");
        }
        try (RunlogStore s = ArchiveFixtures.open(source);
             RunlogStore t = ArchiveFixtures.open(target);
             Experiment a = s.project("llm").openExperiment("run");
             Experiment b = t.project("llm").openExperiment("run")) {
            ArchiveFixtures.assertSameContent(a, b);
        }
    }

    private static long countPoints(final Path archive) {
        try (ArchiveReader r = ArchiveReader.open(archive)) {
            return r.read(new ArchiveVisitor() { }).totals().points();
        }
    }

    // ------------------------------------------------------------------ concurrent imports of one source

    @Test
    void shouldEndAsTheLaterExportWhenTwoExportsOfOneSourceAreImportedConcurrently() throws Exception {
        final Path source = dir.resolve("source");
        final Path early = dir.resolve("early.rla");
        final Path later = dir.resolve("later.rla");
        try (RunlogStore s = ArchiveFixtures.open(source)) {
            ArchiveFixtures.fill(s, 3_000, 0);
            s.exportExperiment("llm", "run", early);
            ArchiveFixtures.fill(s, 3_000, 3_000);
            s.exportExperiment("llm", "run", later);
        }
        for (int round = 0; round < 5; round++) {
            final Path target = dir.resolve("target-" + round);
            try (RunlogStore t = ArchiveFixtures.open(target)) {
                Concurrently.run(2, id -> t.importArchive(id == 0 ? early : later));
            }
            try (RunlogStore s = ArchiveFixtures.open(source);
                 RunlogStore t = ArchiveFixtures.open(target);
                 Experiment a = s.project("llm").openExperiment("run");
                 Experiment b = t.project("llm").openExperiment("run")) {
                ArchiveFixtures.assertSameContent(a, b);
            }
        }
    }

    // ------------------------------------------------------------------ hostile files

    @Test
    void shouldRejectHostileFilesOnlyWithTheTypedErrorNamingOffsetAndBlock() throws IOException {
        final Path archive = export("valid", 1);
        final byte[] valid = Files.readAllBytes(archive);
        final Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("zero-length", new byte[0]);
        cases.put("magic only", Arrays.copyOf(ArchiveLayout.MAGIC, 8));
        cases.put("file header only", Arrays.copyOf(valid, 16));
        cases.put("trailing garbage", concat(valid, new byte[] {1, 2, 3}));
        cases.put("trailing full trailer copy", concat(valid, Arrays.copyOfRange(valid, valid.length - 16, valid.length)));
        cases.put("block length 0xFFFFFFFF", concat(Arrays.copyOf(valid, 16), new byte[] {-1, -1, -1, -1, 1, 0, 0, 0}));
        final ByteSink lying = new ByteSink(16);
        lying.varint(1000); // footer claims 1000 blocks, the file has none
        cases.put("footer claims more blocks", withTrailer(concat(Arrays.copyOf(valid, 16), HostileArchives.block(lying, 127, 0)), 16));
        final ByteSink huge = new ByteSink(16);
        huge.varint(Integer.MAX_VALUE);
        cases.put("footer claims 2^31 blocks", withTrailer(concat(Arrays.copyOf(valid, 16), HostileArchives.block(huge, 127, 0)), 16));
        final ByteSink empty = new ByteSink(16);
        empty.varint(0);
        for (int i = 0; i < 8; i++) {
            empty.varint(0);
        }
        cases.put("footer right after the header", withTrailer(concat(Arrays.copyOf(valid, 16), HostileArchives.block(empty, 127, 0)), 16));
        final byte[] badTrailer = valid.clone();
        ByteSink.LONG_LE.set(badTrailer, badTrailer.length - 16, 16L); // trailer points at block #0, CRC recomputed
        final CRC32C crc = new CRC32C();
        crc.update(badTrailer, badTrailer.length - 16, 8);
        ByteSink.INT_LE.set(badTrailer, badTrailer.length - 8, (int) crc.getValue());
        cases.put("trailer points elsewhere", badTrailer);

        for (final Map.Entry<String, byte[]> c : cases.entrySet()) {
            final Path f = Files.write(dir.resolve("hostile.rla"), c.getValue());
            try (ArchiveReader r = ArchiveReader.open(f)) {
                final Throwable t = assertThrows(Throwable.class, () -> r.read(new ArchiveVisitor() { }), c.getKey());
                assertInstanceOf(ArchiveFormatException.class, t, c.getKey() + ": " + t);
                final ArchiveFormatException e = (ArchiveFormatException) t;
                assertNotNull(e.block(), c.getKey());
                assertTrue(e.offset() >= 0 && e.offset() <= c.getValue().length, c.getKey() + ": offset " + e.offset());
            }
            try (RunlogStore target = ArchiveFixtures.open(dir.resolve("target-hostile"))) {
                assertThrows(ArchiveFormatException.class, () -> target.importArchive(f), c.getKey());
                assertTrue(target.projects().isEmpty(), c.getKey() + ": nothing created");
            }
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] withTrailer(final byte[] file, final long footerOffset) {
        final byte[] t = new byte[16];
        ByteSink.LONG_LE.set(t, 0, footerOffset);
        final CRC32C crc = new CRC32C();
        crc.update(t, 0, 8);
        ByteSink.INT_LE.set(t, 8, (int) crc.getValue());
        System.arraycopy(ArchiveLayout.TRAILER_MAGIC, 0, t, 12, 4);
        return concat(file, t);
    }
}
