package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.gate.DataType;
import io.runlog.gate.ThrottleNotice;
import io.runlog.gate.ThrottleWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottleNoticesTest {
    @TempDir
    Path dir;

    @Test
    void eachEpisodeIsToldOnceAndEveryRefusalRaisesTheLocalFlagPersistently() {
        final List<ThrottleNotice> heard = new ArrayList<>();
        final ThrottleNotices notices = new ThrottleNotices("key:ab12", heard::add);
        try (RunlogStore store = RunlogStore.open(dir);
             Experiment e = store.projectOrCreate("p", ProjectKind.EXPERIMENT_MANAGEMENT).openOrCreateExperiment("e")) {
            assertTrue(notices.refused("p", "e", e, DataType.METRICS, 1_000, 31_000, 500));
            assertFalse(notices.refused("p", "e", e, DataType.METRICS, 2_000, 31_000, 500), "same episode");
            assertTrue(notices.refused("p", "e", e, DataType.OUTPUT, 2_500, 9_000, 3), "another type, its own episode");
            notices.accepted(e, DataType.METRICS, 40_000);
            assertTrue(notices.refused("p", "e", e, DataType.METRICS, 41_000, 50_000, 200), "accepted in between: new episode");
            assertTrue(notices.refused("p", "e", e, DataType.OUTPUT, 2_500 + ThrottleNotices.EPISODE_GAP_MILLIS, 1, 1),
                "a minute without refusals: new episode");
            assertEquals(4, notices.episodes());
            assertEquals(List.of(
                new ThrottleNotice("key:ab12", "p", "e", DataType.METRICS, 1_000, 31_000, 500),
                new ThrottleNotice("key:ab12", "p", "e", DataType.OUTPUT, 2_500, 9_000, 3),
                new ThrottleNotice("key:ab12", "p", "e", DataType.METRICS, 41_000, 50_000, 200),
                new ThrottleNotice("key:ab12", "p", "e", DataType.OUTPUT, 62_500, 1, 1)), heard);
            final ThrottleWarning.Throttled m = e.throttleWarning().of(DataType.METRICS).orElseThrow();
            assertEquals(1_200, m.units());
            assertEquals(3, m.submissions());
            assertEquals(1_000, m.firstMillis());
            assertEquals(41_000, m.lastMillis());
        }
        try (RunlogStore store = RunlogStore.open(dir);
             Experiment e = store.project("p").openExperiment("e")) {
            assertTrue(e.throttleWarning().raised(), "the flag survives reopening");
            assertEquals(4, e.throttleWarning().of(DataType.OUTPUT).orElseThrow().units());
        }
    }

    @Test
    void withoutAWritableExperimentOnlyTheListenerHearsAndAFailingListenerIsCounted() {
        final ThrottleNotices notices = new ThrottleNotices("k", n -> {
            throw new IllegalStateException("listener bug");
        });
        assertTrue(notices.refused("p", "e", null, DataType.PARAMETERS, 1, 2, 3));
        assertEquals(1, notices.listenerFailures());
        notices.accepted(null, DataType.PARAMETERS, 5);
        assertTrue(notices.refused("p", "e", null, DataType.PARAMETERS, 6, 7, 8));
    }
}
