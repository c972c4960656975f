package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code runlog check}: exit 0 on a healthy store, 1 naming the damaged file, and {@code --repair} salvages. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private Item fill() {
        try (RunlogStore store = RunlogStore.open(dir, CliRunner.options())) {
            final var p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment other = p.createExperiment("other")) {
                other.log("acc", 1, 0.5);
            }
            try (Experiment e = p.createExperiment("e")) {
                e.log("loss", 1, 0.25);
                return e.logItem(ItemType.IMAGE, "img", Map.of(), new byte[]{9, 8, 7});
            }
        }
    }

    @Test
    void shouldExitZeroOnAHealthyStore() {
        fill();
        final CliRunner.Result r = CliRunner.run("check", "--dir", dir.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("p/e: ok (") && r.out().contains("p/other: ok ("), r::toString);
        assertTrue(r.out().contains("result: ok: 2 experiments checked, 0 damaged"), r::toString);
    }

    @Test
    void shouldExitOneNamingTheDamagedPayloadThenRepairIt() throws IOException {
        final Item item = fill();
        final Path blob = dir.resolve("projects/p/experiments/e/blobs").resolve(item.sha256());
        Files.write(blob, new byte[]{9, 8, 6});
        final CliRunner.Result r = CliRunner.run("check", "--dir", dir.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("DAMAGE p/e: " + blob), r::toString);
        assertTrue(r.out().contains("result: DAMAGED: 2 experiments checked, 1 damaged"), r::toString);

        final CliRunner.Result only = CliRunner.run("check", "--dir", dir.toString(), "--experiment", "other");
        assertEquals(0, only.exit(), only::toString);

        final CliRunner.Result repaired = CliRunner.run("check", "--dir", dir.toString(), "--project", "p", "--repair");
        assertEquals(0, repaired.exit(), repaired::toString);
        assertTrue(repaired.out().contains("repair p/e: salvaged"), repaired::toString);
        assertTrue(Files.isRegularFile(dir.resolve("salvage").resolve("20231114T221320Z").resolve("p/e/REPORT.txt")),
            repaired::toString);
        assertEquals(0, CliRunner.run("check", "--dir", dir.toString()).exit(), "a second check passes");
    }

    @Test
    void shouldRefuseAnExperimentNoProjectHas() {
        fill();
        final CliRunner.Result r = CliRunner.run("check", "--dir", dir.toString(), "--experiment", "nosuch");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("no experiment 'nosuch' in any project"), r::toString);
    }
}
