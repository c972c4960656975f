package io.runlog.damage;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.testing.ChildJvm;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The stores the fuzzer damages, built through the public API as a training harness and a tracking
 * server would build them (fixed content: the fuzzer's seed chooses the damage, not the data).
 *
 * <ul>
 *   <li><b>clean</b>: closed cleanly. Project {@code vision} (experiment management) with two
 *   experiments: metrics of short decimals ({@code loss}), noise ({@code noise}, XOR),
 *   a full-precision schedule ({@code lr}, BITS), float32-narrow values ({@code loss32}) and special
 *   values (NaN, infinities, -0.0, subnormals), parameters of every type with a history, output on
 *   both channels, items with payloads (one shared by two items, one empty, one of 96 KiB); project
 *   {@code chat} (LLM) with prompts; and {@code field/offline-1}, imported from an archive exported
 *   by another store, so that it has an import mark ({@code archive-imports/SOURCE.mark}).</li>
 *   <li><b>crashed</b>: written by {@link CrashedStoreChild} in a child JVM that is SIGKILLed while
 *   it logs: one experiment closed before, one killed with thousands of points still in its
 *   {@code points.ring} and a journal being written.</li>
 * </ul>
 */
final class DamageFixtures {
    static final String VISION = "vision";
    static final String CHAT = "chat";
    static final String FIELD = "field";
    static final int POINTS = 3_000;

    private DamageFixtures() {
    }

    /** Options of every store the fuzzer opens: no disk reserve (a full test disk must not read as damage). */
    static StoreOptions options() {
        return new StoreOptions().diskReserveBytes(0).maxIdleExperiments(0);
    }

    /** A deterministic clock: each call a millisecond later. */
    private static EpochClock clock() {
        final long[] t = {1_780_000_000_000L};
        return () -> t[0]++;
    }

    /** Builds the clean store in {@code store}; returns the archive whose import made {@code field/offline-1}. */
    static Path buildClean(final Path store, final Path scratch) throws IOException {
        final Path archive = scratch.resolve("offline-1.rla");
        final StoreOptions options = options().clock(clock());
        try (RunlogStore source = RunlogStore.open(scratch.resolve("source-store"), options)) {
            try (Experiment e = source.projectOrCreate(FIELD, ProjectKind.EXPERIMENT_MANAGEMENT)
                .createOfflineExperiment("offline-1")) {
                fillMetrics(e, 1_200, 11);
                e.logParameter("batch", 64L);
                e.logOutput(OutputChannel.STDOUT, "offline epoch 1");
                e.logItem(ItemType.ASSET, "notes", Map.of("k", "v"), "offline notes".getBytes(StandardCharsets.UTF_8));
                e.export(archive);
            }
        }
        try (RunlogStore s = RunlogStore.open(store, options)) {
            try (Experiment a = s.projectOrCreate(VISION, ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("resnet-a")) {
                fillMetrics(a, POINTS, 1);
                fillSpecials(a);
                fillCold(a, 1);
                a.sync();
                fillMetrics(a, 500, 2); // more batches after a sync
                a.logOutput(OutputChannel.STDOUT, "after sync");
            }
            try (Experiment b = s.project(VISION).createExperiment("resnet-b")) {
                fillMetrics(b, 400, 3);
                fillCold(b, 2);
            }
            try (Experiment c = s.projectOrCreate(CHAT, ProjectKind.LLM).createExperiment("gpt-run")) {
                c.metric("reward").log(0, 0.5);
                for (int i = 0; i < 30; i++) {
                    final Map<String, String> meta = new LinkedHashMap<>();
                    meta.put("model", "m-" + (i % 3));
                    meta.put("turn", Integer.toString(i));
                    c.logPrompt("question " + i + ": what is " + i + " squared?", "it is " + (i * i), meta);
                    c.metric("reward").log(i + 1, i * 0.125);
                }
                c.logParameter("temperature", 0.7);
            }
            s.importArchive(archive);
        }
        return archive;
    }

    /** Metrics of every value coding, {@code n} points each, deterministic from {@code seed}. */
    static void fillMetrics(final Experiment e, final int n, final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final MetricHandle loss = e.metric("loss");
        final MetricHandle noise = e.metric("noise");
        final MetricHandle lr = e.metric("lr");
        final MetricHandle loss32 = e.metric("loss32");
        final long base = e.pointCount();
        for (int i = 0; i < n; i++) {
            final long step = base + i;
            final double l = 2.0 * Math.exp(-i / 800.0) + 0.05 * r.nextDouble();
            loss.log(step, 1_780_000_000_000L + step * 37, Math.rint(l * 10_000) / 10_000);
            noise.log(step, 1_780_000_000_000L + step * 37 + 1, r.nextGaussian() * 1e-3 + l);
            lr.log(step, 1_780_000_000_000L + step * 37 + 2, 3e-4 * 0.5 * (1 + Math.cos(Math.PI * i / n)));
            loss32.log(step, 1_780_000_000_000L + step * 37 + 3, (float) (l + 0.01 * r.nextGaussian()));
        }
    }

    private static void fillSpecials(final Experiment e) {
        final MetricHandle odd = e.metric("odd");
        final double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, -Double.MAX_VALUE, Double.longBitsToDouble(0x7ff0000000000123L), 1e-310, 42.0};
        for (int i = 0; i < 200; i++) {
            odd.log(i % 17, 1_780_000_000_000L - i, values[i % values.length]); // steps repeat and go back
        }
    }

    private static void fillCold(final Experiment e, final int seed) {
        e.logParameter("lr", 3e-4);
        e.logParameter("optimizer", "adamw");
        e.logParameter("epochs", 90L);
        e.logParameter("amp", true);
        e.logParameter("lr", 1e-4); // a history
        e.logParameter("note", "ünïcode ✓ " + seed);
        for (int i = 0; i < 40; i++) {
            e.logOutput(i % 5 == 4 ? OutputChannel.STDERR : OutputChannel.STDOUT, "epoch " + i + " loss=" + (1.0 / (i + 1)));
        }
        final SplittableRandom r = new SplittableRandom(seed);
        final byte[] big = new byte[96 * 1024];
        r.nextBytes(big);
        final byte[] shared = ("shared payload " + seed).getBytes(StandardCharsets.UTF_8);
        e.logItem(ItemType.IMAGE, "sample-0", Map.of("w", "32", "h", "32"), shared);
        e.logItem(ItemType.MODEL, "weights", Map.of(), big);
        e.logItem(ItemType.TEXT_SAMPLE, "same-as-sample-0", Map.of(), shared);
        e.logItem(ItemType.ASSET, "empty", Map.of("why", "nothing"), new byte[0]);
        e.logItem(ItemType.CURVE, "pr-curve", Map.of(), ("0,1\n0.5,0.8\n1,0." + seed).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Builds the crashed store in {@code store}: runs {@link CrashedStoreChild} and SIGKILLs it
     * while it logs, after at least {@link CrashedStoreChild#READY_POINTS} points.
     */
    static void buildCrashed(final Path store, final Path scratch) {
        try (ChildJvm.Child child = ChildJvm.of(CrashedStoreChild.class, scratch).args(store).start()) {
            child.await("the crash child's ready line", Duration.ofSeconds(120),
                () -> child.output().contains(CrashedStoreChild.READY));
            child.killNine();
        }
        if (!Files.exists(store.resolve("projects").resolve(VISION).resolve("experiments").resolve("killed")
            .resolve("points.ring"))) {
            throw new IllegalStateException("the killed experiment left no ring: the crashed store tests no recovery");
        }
    }

    static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (final Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
