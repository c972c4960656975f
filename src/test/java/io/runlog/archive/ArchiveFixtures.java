package io.runlog.archive;

import io.runlog.internal.StoreAccess;
import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.gate.DataType;
import io.runlog.store.ExperimentEngine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test data for archive tests: experiments with every kind of content, and a whole-experiment comparison. */
final class ArchiveFixtures {
    private ArchiveFixtures() {
    }

    static StoreOptions options() {
        return new StoreOptions().diskReserveBytes(0);
    }

    static RunlogStore open(final Path dir) {
        return RunlogStore.open(dir, options());
    }

    /**
     * Logs into project "llm" (LLM kind), experiment "run": three metrics (a decimal loss curve,
     * a schedule, special values), parameters with history, output, two items and prompts.
     * {@code scale} multiplies the point counts; {@code from} lets a second call continue the
     * same experiment.
     */
    static void fill(final RunlogStore store, final int points, final int from) {
        try (Experiment e = store.projectOrCreate("llm", ProjectKind.LLM).openOrCreateExperiment("run")) {
            final MetricHandle loss = e.metric("train/loss");
            final MetricHandle lr = e.metric("lr");
            final MetricHandle odd = e.metric("odd values");
            final SplittableRandom r = new SplittableRandom(from + 17L);
            for (int i = from; i < from + points; i++) {
                final double l = Math.round((3 + 8 * Math.exp(-i / 500.0) + r.nextDouble(0.1)) * 1e4) / 1e4;
                loss.log(i, 1_700_000_000_000L + i * 37L, l);
                lr.log(i, 1_700_000_000_000L + i * 37L, 6e-4 * Math.min(1, i / 100.0));
                if (i % 7 == 0) {
                    odd.log(i / 7, 1_700_000_000_000L + i, special(r, i));
                }
            }
            e.metric("never logged");
            e.logParameter("lr", 6e-4 + from);
            e.logParameter("name", "gpt-" + from);
            e.logParameter("layers", 12L + from);
            e.logParameter("causal", from % 2 == 0);
            e.logOutput(OutputChannel.STDOUT, "step " + from + " \u00e9t\u00e9 \uD83D\uDE80");
            e.logOutput(OutputChannel.STDERR, "warning " + from);
            e.logItem(ItemType.IMAGE, "img-" + from, Map.of("step", Integer.toString(from)),
                ("png bytes " + from).getBytes(StandardCharsets.UTF_8));
            e.logItem(ItemType.MODEL, "empty-" + from, Map.of(), new byte[0]);
            e.logPrompt("prompt " + from, "response " + from, Map.of("model", "m-7b"));
        }
        throttle(store, "llm", "run", DataType.METRICS, 1_700_000_000_000L + from, 500 + from);
        throttle(store, "llm", "run", DataType.OUTPUT, 1_700_000_100_000L + from, 3);
    }

    /** Raises the experiment's throttle warning flag as the ingestion gate would. */
    static void throttle(final RunlogStore store, final String project, final String key, final DataType type,
                         final long at, final long units) {
        final ExperimentEngine engine = StoreAccess.engine(store).acquire(StoreAccess.engine(store).experimentHeader(project, key));
        try {
            engine.recordThrottle(type, at, units);
        } finally {
            StoreAccess.engine(store).release(engine);
        }
    }

    static double special(final SplittableRandom r, final int i) {
        return switch (i % 9) {
            case 0 -> Double.longBitsToDouble(0x7ff0000000000123L);
            case 1 -> -0.0;
            case 2 -> Double.MIN_VALUE * (1 + r.nextInt(1000));
            case 3 -> Double.POSITIVE_INFINITY;
            case 4 -> Double.longBitsToDouble(r.nextLong());
            case 5 -> (float) r.nextDouble();
            case 6 -> Double.NEGATIVE_INFINITY;
            case 7 -> Double.longBitsToDouble(0xfff8000000000000L | r.nextInt());
            default -> r.nextInt(100) / 10.0;
        };
    }

    /** Asserts that two experiments hold the same content, timestamps included. */
    static void assertSameContent(final Experiment expected, final Experiment actual) {
        assertEquals(expected.projectKind(), actual.projectKind());
        assertEquals(expected.isOffline(), actual.isOffline());
        assertEquals(expected.metrics(), actual.metrics());
        for (final MetricInfo m : expected.metrics()) {
            final MetricSeries a = expected.readMetric(m.name());
            final MetricSeries b = actual.readMetric(m.name());
            assertArrayEquals(java.util.Arrays.copyOf(a.steps(), a.size()), java.util.Arrays.copyOf(b.steps(), b.size()),
                m.name() + " steps");
            assertArrayEquals(java.util.Arrays.copyOf(a.timestamps(), a.size()),
                java.util.Arrays.copyOf(b.timestamps(), b.size()), m.name() + " timestamps");
            assertArrayEquals(java.util.Arrays.copyOf(a.valueBitsArray(), a.size()),
                java.util.Arrays.copyOf(b.valueBitsArray(), b.size()), m.name() + " values");
        }
        assertEquals(expected.parameters(), actual.parameters());
        for (final String p : expected.parameters().keySet()) {
            assertEquals(expected.parameterHistory(p), actual.parameterHistory(p), p);
        }
        assertEquals(expected.outputLines(), actual.outputLines());
        assertEquals(expected.items(), actual.items());
        for (int i = 0; i < expected.items().size(); i++) {
            assertArrayEquals(expected.readPayload(expected.items().get(i)), actual.readPayload(actual.items().get(i)));
        }
        assertEquals(expected.prompts(), actual.prompts());
        assertEquals(expected.throttleWarning(), actual.throttleWarning());
    }
}
