package io.runlog;

import io.runlog.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hard limits reject with a typed error naming the limit, its value, the count and the rejected
 * item; what was accepted before stays; counts survive reopening; racing threads cannot both
 * take the last slot; offline experiments are bound too.
 */
class HardLimitsTest {
    @TempDir
    Path dir;

    private StoreOptions options(final HardLimits limits) {
        return new StoreOptions().diskReserveBytes(0).hardLimits(limits);
    }

    @Test
    void shouldRejectTheMetricBeyondTheLimitAndKeepCountingAfterReopen() {
        final StoreOptions options = options(new HardLimits().uniqueMetrics(3));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createOfflineExperiment("e")) {
            e.log("a", 0, 1.0);
            e.log("b", 0, 1.0);
            e.log("c", 0, 1.0);
            final HardLimitException x = assertThrows(HardLimitException.class, () -> e.metric("d"));
            assertEquals("uniqueMetrics", x.limitName());
            assertEquals(3, x.limit());
            assertEquals(3, x.current());
            assertTrue(x.rejected().contains("'d'"), x.getMessage());
            e.log("a", 1, 2.0); // known metrics go on
        }
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            assertThrows(HardLimitException.class, () -> e.metric("d"), "the count is recovered, not reset");
            assertEquals(2, e.readMetric("a").size());
        }
    }

    @Test
    void shouldRejectParametersAndItemsBeyondTheirLimits() {
        final StoreOptions options = options(new HardLimits().uniqueParameters(2).items(ItemType.MODEL, 1));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            e.logParameter("lr", 0.1);
            e.logParameter("bs", 32L);
            e.logParameter("lr", 0.2); // a new value of a known parameter is not a new parameter
            final HardLimitException p = assertThrows(HardLimitException.class, () -> e.logParameter("wd", 0.0));
            assertEquals("uniqueParameters", p.limitName());
            e.logItem(ItemType.MODEL, "m1", Map.of(), new byte[]{1});
            final HardLimitException m = assertThrows(HardLimitException.class,
                () -> e.logItem(ItemType.MODEL, "m2", Map.of(), new byte[]{2}));
            assertEquals("models", m.limitName());
            e.logItem(ItemType.IMAGE, "i", Map.of(), new byte[]{3}); // other types are independent
            assertEquals(2, e.parameters().size());
            assertEquals(2, e.parameterHistory("lr").size());
            assertEquals(2, e.items().size());
        }
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.project("p").openExperiment("e")) {
            assertThrows(HardLimitException.class, () -> e.logItem(ItemType.MODEL, "m3", Map.of(), new byte[]{4}));
            assertThrows(HardLimitException.class, () -> e.logParameter("x", 1L));
        }
    }

    @Test
    void shouldLetOnlyOneOfManyRacingThreadsTakeTheLastMetricSlot() throws Exception {
        final StoreOptions options = options(new HardLimits().uniqueMetrics(1));
        try (RunlogStore store = RunlogStore.open(dir, options);
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final int threads = 4;
            final AtomicInteger won = new AtomicInteger();
            final AtomicInteger lost = new AtomicInteger();
            Concurrently.run(threads, id -> {
                try {
                    e.metric("m" + id);
                    won.incrementAndGet();
                } catch (final HardLimitException x) {
                    lost.incrementAndGet();
                }
            });
            assertEquals(1, won.get());
            assertEquals(threads - 1, lost.get());
            assertEquals(1, e.metrics().size());
        }
    }

    @Test
    void shouldRejectTheExperimentBeyondTheProjectLimitEvenAfterReopen() {
        final StoreOptions options = options(new HardLimits().experimentsPerProject(2));
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            p.createExperiment("a").close();
            p.createOfflineExperiment("b").close();
            final HardLimitException x = assertThrows(HardLimitException.class, () -> p.createExperiment("c"));
            assertEquals("experimentsPerProject", x.limitName());
            assertEquals(2, x.current());
            store.createProject("llm", ProjectKind.LLM).createExperiment("x").close(); // other project, other kind
        }
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            assertThrows(HardLimitException.class, () -> store.project("p").createExperiment("c"));
            assertEquals(List.of("a", "b"), store.project("p").experimentKeys());
        }
    }

    @Test
    void shouldCountPromptsOverEveryExperimentOfTheProjectAndRecoverTheCountOnReopen() {
        final StoreOptions options = options(new HardLimits().promptsPerProject(3));
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project llm = store.createProject("llm", ProjectKind.LLM);
            try (Experiment a = llm.createExperiment("a"); Experiment b = llm.createOfflineExperiment("b")) {
                a.logPrompt("p1", "r1", Map.of());
                b.logPrompt("p2", "r2", Map.of());
                a.logPrompt("p3", "r3", Map.of());
                final HardLimitException x = assertThrows(HardLimitException.class, () -> b.logPrompt("p4", "r4", Map.of()));
                assertEquals("promptsPerProject", x.limitName());
                assertEquals(3, x.limit());
                assertEquals(3, x.current());
                assertTrue(x.rejected().contains("'p4'"), x.getMessage());
                assertEquals(2, a.prompts().size(), "everything accepted before stays");
                assertEquals(1, b.prompts().size());
            }
            try (Experiment other = store.createProject("llm2", ProjectKind.LLM).createExperiment("c")) {
                other.logPrompt("p", "r", Map.of()); // another project has its own quota
            }
        }
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project llm = store.project("llm");
            try (Experiment c = llm.createExperiment("c")) {
                final HardLimitException x = assertThrows(HardLimitException.class, () -> c.logPrompt("p5", "r", Map.of()),
                    "the count is recovered from the journals, not reset by a restart");
                assertEquals(3, x.current());
            }
            assertEquals(3, llm.promptCount());
        }
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            try (Experiment c = store.project("llm").openExperiment("c")) {
                c.logPrompt("p5", "r", Map.of()); // the default limit is 250,000
            }
            assertEquals(4, store.project("llm").promptCount());
        }
    }

    @Test
    void shouldLetOnlyOneOfManyThreadsInDifferentExperimentsTakeTheLastPromptSlot() throws Exception {
        final StoreOptions options = options(new HardLimits().promptsPerProject(5));
        try (RunlogStore store = RunlogStore.open(dir, options)) {
            final Project llm = store.createProject("llm", ProjectKind.LLM);
            final int threads = 4;
            final List<Experiment> experiments = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                experiments.add(llm.createExperiment("e" + t));
            }
            experiments.get(0).logPrompt("seed", "", Map.of());
            final AtomicInteger won = new AtomicInteger();
            final AtomicInteger lost = new AtomicInteger();
            Concurrently.run(threads, id -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        experiments.get(id).logPrompt("q" + i, "", Map.of());
                        won.incrementAndGet();
                    } catch (final HardLimitException x) {
                        lost.incrementAndGet();
                    }
                }
            });
            assertEquals(4, won.get(), "exactly the 4 free slots were taken");
            assertEquals(threads * 3 - 4, lost.get());
            long stored = 0;
            for (final Experiment e : experiments) {
                stored += e.prompts().size();
                e.close();
            }
            assertEquals(5, stored);
            assertEquals(5, llm.promptCount());
        }
    }
}
