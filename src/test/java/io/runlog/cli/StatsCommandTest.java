package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsCommandTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    @Test
    void shouldPrintOneRowPerProjectAndATotal() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options())) {
            final Project vision = s.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT);
            for (final String key : List.of("a", "b")) {
                try (Experiment e = vision.createExperiment(key)) {
                    for (int i = 0; i < 1000; i++) {
                        e.log("loss", i, 1.0 / (i + 1));
                    }
                }
            }
            try (Experiment e = s.createProject("chat", ProjectKind.LLM).createExperiment("c")) {
                e.log("score", 0, 1);
            }
            s.createProject("empty", ProjectKind.EXPERIMENT_MANAGEMENT);
        }

        final CliRunner.Result r = CliRunner.run("stats", "--dir", store().toString());

        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        final List<String[]> rows = r.out().lines().map(l -> l.split(",", -1)).toList();
        assertEquals("project,kind,experiments,points,bytes_on_disk", String.join(",", rows.get(0)));
        assertEquals(List.of("chat", "LLM", "1", "1"), List.of(rows.get(1)).subList(0, 4));
        assertEquals(List.of("empty", "EXPERIMENT_MANAGEMENT", "0", "0", "0"), List.of(rows.get(2)));
        assertEquals(List.of("vision", "EXPERIMENT_MANAGEMENT", "2", "2000"), List.of(rows.get(3)).subList(0, 4));
        assertEquals(List.of("TOTAL", "", "3", "2001"), List.of(rows.get(4)).subList(0, 4));
        assertEquals(5, rows.size());
        final long chat = Long.parseLong(rows.get(1)[4]);
        final long vision = Long.parseLong(rows.get(3)[4]);
        final long total = Long.parseLong(rows.get(4)[4]);
        assertTrue(chat > 0 && vision > chat, r.out());
        assertTrue(total >= chat + vision, r.out());
        assertEquals(0, total % 1024, "allocated space comes in whole blocks: " + r.out());
    }

    @Test
    void shouldMeasureAllocatedBytesNotApparentSize() throws Exception {
        final Path sparse = tmp.resolve("sparse");
        try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 64L << 20);
        }
        final DiskUsage.Size size = DiskUsage.of(sparse);
        assertFalse(size.estimated(), "du runs on this machine");
        assertTrue(size.bytes() < (1 << 20), "a 64 MiB sparse file allocates a few KiB, not " + size.bytes());
        assertEquals((64L << 20) + 1, DiskUsage.apparentBytes(sparse));
    }

    @Test
    void shouldReportAMissingStoreWithoutCreatingIt() {
        final CliRunner.Result r = CliRunner.run("stats", "--dir", store().toString());
        assertEquals(1, r.exit());
        assertEquals("runlog: error: no store at " + store() + " (no such directory)\n", r.err());
        assertFalse(Files.exists(store()));
    }

    @Test
    void shouldReportAStorePathThatIsAFile() throws Exception {
        Files.writeString(store(), "not a store");
        final CliRunner.Result r = CliRunner.run("stats", "--dir", store().toString());
        assertEquals(1, r.exit());
        assertEquals("runlog: error: no store at " + store() + " (it is a file, not a directory)\n", r.err());
    }

    @Test
    void shouldRejectAnUnknownOption() {
        final CliRunner.Result r = CliRunner.run("stats", "--project", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("runlog: error: Unknown options: '--project', 'x'"), r::toString);
        assertTrue(r.err().contains("Run 'runlog stats --help' for usage."), r::toString);
    }

    @Test
    void shouldPrintHelp() {
        final CliRunner.Result r = CliRunner.run("stats", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("bytes_on_disk is allocated space"), r.out());
    }
}
