package io.runlog.archive;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.ImportResult;
import io.runlog.IncrementGapException;
import io.runlog.IncrementOptions;
import io.runlog.IncrementResult;
import io.runlog.InvalidValueException;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncrementTest {
    @TempDir
    Path dir;

    /** Ships increments of {@code options} from the target's mark until one is complete; returns how many were shipped. */
    private int ship(final RunlogStore source, final RunlogStore target, final IncrementOptions options) throws Exception {
        int n = 0;
        try (Experiment e = source.project("llm").openExperiment("run")) {
            while (true) {
                final HighWaterMark mark = target.highWaterMark("llm", "run", e.sourceId());
                final Path seg = dir.resolve("seg-" + System.nanoTime() + ".rla");
                final IncrementResult r = e.exportIncrement(seg, mark, options);
                assertEquals(Files.size(seg), r.bytes());
                final ImportResult imported = target.importArchive(seg);
                assertEquals(r.to(), imported.mark(), "the importer ends at the exporter's 'to'");
                assertEquals(r.points(), imported.pointsAdded());
                assertEquals(r.entries(), imported.otherAdded());
                n++;
                if (r.complete()) {
                    return n;
                }
                assertTrue(n < 10_000, "increments make progress");
            }
        }
    }

    private void assertSame(final RunlogStore source, final RunlogStore target) {
        try (Experiment a = source.project("llm").openExperiment("run");
             Experiment b = target.project("llm").openExperiment("run")) {
            ArchiveFixtures.assertSameContent(a, b);
        }
    }

    @Test
    void shouldRebuildTheExperimentBitForBitFromSmallIncrementsOfOneTypeEach() throws Exception {
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            ArchiveFixtures.fill(source, 30_000, 0);
            int segments = 0;
            for (final DataType t : DataType.values()) {
                segments += ship(source, target, new IncrementOptions().only(t).maxBytes(16 << 10));
            }
            assertTrue(segments > DataType.values().length, "16 KiB segments split the metrics: " + segments);
            assertSame(source, target);
            // more logging, then everything at once from the new mark
            ArchiveFixtures.fill(source, 5_000, 30_000);
            assertEquals(1, ship(source, target, new IncrementOptions()));
            assertSame(source, target);
        }
    }

    @Test
    void shouldHonourThePointLimitAndSayWhereTheNextIncrementStarts() throws Exception {
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             Experiment e = source.projectOrCreate("p", io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            for (int i = 0; i < 1000; i++) {
                e.log("a", i, i * 0.5);
                e.log("b", i, -i);
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final IncrementResult r = e.exportIncrement(out, HighWaterMark.EMPTY,
                new IncrementOptions().only(DataType.METRICS).maxPoints(300));
            assertEquals(300, r.points());
            assertEquals(0, r.entries());
            assertFalse(r.complete());
            assertEquals(out.size(), r.bytes());
            assertEquals(300, r.to().points());
            assertEquals(e.sourceId(), r.to().sourceId());
            final IncrementResult rest = e.exportIncrement(new ByteArrayOutputStream(), r.to(), new IncrementOptions());
            assertEquals(1700, rest.points());
            assertTrue(rest.complete());
            assertEquals(Map.of("a", 1000L, "b", 1000L), rest.to().metrics());
            final IncrementResult none = e.exportIncrement(new ByteArrayOutputStream(), rest.to(), new IncrementOptions());
            assertTrue(none.isEmpty());
            assertTrue(none.complete());
        }
    }

    @Test
    void shouldAddNothingAndAnswerTheSameMarkWhenAnAcknowledgedIncrementIsReplayed() throws Exception {
        final Path seg = dir.resolve("seg.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            ArchiveFixtures.fill(source, 2_000, 0);
            ship(source, target, new IncrementOptions().maxBytes(8 << 10));
            ArchiveFixtures.fill(source, 2_000, 2_000);
            try (Experiment e = source.project("llm").openExperiment("run")) {
                e.exportIncrement(seg, target.highWaterMark("llm", "run", e.sourceId()), new IncrementOptions());
            }
            final ImportResult first = target.importArchive(seg);
            assertTrue(first.added() > 0);
            final ImportResult replay = target.importArchive(seg);
            assertEquals(0, replay.added());
            assertEquals(first.added(), replay.skipped());
            assertEquals(first.mark(), replay.mark());
            assertSame(source, target);
        }
    }

    @Test
    void shouldRefuseAnIncrementThatStartsAfterWhatTheStoreHoldsAndWriteNothing() throws Exception {
        final Path early = dir.resolve("early.rla");
        final Path late = dir.resolve("late.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            ArchiveFixtures.fill(source, 1_000, 0);
            final HighWaterMark middle;
            try (Experiment e = source.project("llm").openExperiment("run")) {
                final IncrementResult r = e.exportIncrement(early, HighWaterMark.EMPTY,
                    new IncrementOptions().only(DataType.METRICS).maxPoints(500));
                middle = r.to();
                e.exportIncrement(late, middle, new IncrementOptions().only(DataType.METRICS));
            }
            // into an empty store: refused, nothing created
            final IncrementGapException none = assertThrows(IncrementGapException.class, () -> target.importArchive(late));
            assertEquals(HighWaterMark.empty(middle.sourceId()), none.held());
            assertTrue(target.projects().isEmpty(), "nothing created");
            // with a part held: the gap names the stream and the held mark
            final HighWaterMark held = target.importArchive(early).mark();
            final IncrementGapException gap;
            try (Experiment e = source.project("llm").openExperiment("run")) {
                final Path ahead = dir.resolve("ahead.rla");
                e.exportIncrement(ahead, new HighWaterMark(middle.sourceId(), Map.of("train/loss", 800L), Map.of(), 0, 0, 0),
                    new IncrementOptions().only(DataType.METRICS));
                gap = assertThrows(IncrementGapException.class, () -> target.importArchive(ahead));
            }
            assertEquals(held, gap.held());
            assertEquals(held, target.highWaterMark("llm", "run", middle.sourceId()));
            assertTrue(gap.getMessage().contains("train/loss"), gap.getMessage());
            assertEquals(800, gap.base());
            // the late increment fits now
            assertEquals(middle.points(), held.points());
            target.importArchive(late);
            try (Experiment a = source.project("llm").openExperiment("run");
                 Experiment b = target.project("llm").openExperiment("run")) {
                assertEquals(a.metrics(), b.metrics());
                assertArrayEquals(a.readMetric("odd values").valueBitsArray(), b.readMetric("odd values").valueBitsArray());
            }
        }
    }

    @Test
    void shouldRefuseAMarkOfAnotherSourceOrAheadOfTheExperiment() {
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"))) {
            ArchiveFixtures.fill(source, 10, 0);
            try (Experiment e = source.project("llm").openExperiment("run")) {
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                final InvalidValueException other = assertThrows(InvalidValueException.class, () -> e.exportIncrement(out,
                    HighWaterMark.empty("0123456789abcdef0123456789abcdef"), new IncrementOptions()));
                assertTrue(other.getMessage().contains("0123456789abcdef0123456789abcdef"), other.getMessage());
                final InvalidValueException ahead = assertThrows(InvalidValueException.class, () -> e.exportIncrement(out,
                    new HighWaterMark(null, Map.of("lr", 11L), Map.of(), 0, 0, 0), new IncrementOptions()));
                assertTrue(ahead.getMessage().contains("'lr'"), ahead.getMessage());
                assertEquals(0, out.size());
            }
        }
    }

    @Test
    void shouldAnswerTheArchivesEndAsTheMarkOfAWholeImport() {
        final Path archive = dir.resolve("whole.rla");
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"))) {
            ArchiveFixtures.fill(source, 700, 0);
            source.exportExperiment("llm", "run", archive);
            final ImportResult r = target.importArchive(archive);
            try (Experiment e = source.project("llm").openExperiment("run")) {
                final IncrementResult rest = e.exportIncrement(new ByteArrayOutputStream(), r.mark(), new IncrementOptions());
                assertTrue(rest.isEmpty(), "the whole archive's mark covers everything");
                assertEquals(e.sourceId(), r.mark().sourceId());
                assertEquals(e.pointCount(), r.mark().points());
            }
            assertEquals(r.mark(), target.highWaterMark("llm", "run", null));
        }
    }

    @Test
    void shouldMatchTheRestOfACrashedImportsTailWhenASmallerIncrementCoveredOnlyPartOfIt() throws Exception {
        try (RunlogStore source = ArchiveFixtures.open(dir.resolve("source"));
             RunlogStore target = ArchiveFixtures.open(dir.resolve("target"));
             Experiment e = source.projectOrCreate("p", io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            for (int i = 0; i < 300; i++) {
                e.log("m", i, 1_000 + i, i * 0.5);
            }
            final Path first = dir.resolve("first.rla");
            final HighWaterMark hundred = e.exportIncrement(first, HighWaterMark.EMPTY, new IncrementOptions().maxPoints(100)).to();
            target.importArchive(first);
            // what a crashed import of points 100..300 leaves: the entries, beyond the mark
            try (Experiment t = target.project("p").openExperiment("e")) {
                for (int i = 100; i < 300; i++) {
                    t.log("m", i, 1_000 + i, i * 0.5);
                }
                t.sync();
            }
            HighWaterMark mark = hundred;
            while (true) {
                final Path seg = dir.resolve("seg-" + mark.points() + ".rla");
                final IncrementResult r = e.exportIncrement(seg, mark, new IncrementOptions().maxPoints(70));
                if (r.isEmpty()) {
                    break;
                }
                final ImportResult imported = target.importArchive(seg);
                assertEquals(0, imported.pointsAdded(), "every point is the crashed import's tail, recognised");
                mark = imported.mark();
            }
            try (Experiment t = target.project("p").openExperiment("e")) {
                assertEquals(300, t.pointCount(), "nothing twice");
                assertArrayEquals(e.readMetric("m").valueBitsArray(), t.readMetric("m").valueBitsArray());
            }
        }
    }
}
