package io.runlog.damage;

import io.runlog.Experiment;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.damage.DamageCase.FileKind;
import io.runlog.damage.DamageCase.Outcome;
import io.runlog.damage.DamageCase.Variant;
import io.runlog.damage.DamageTargets.Target;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The damage contract of a closed store, fuzzed: a seeded corruption of one file of a closed store
 * (bit flips, byte runs, zeroed pages, swaps, truncation, deletion, appended junk; see
 * {@link Mutation}) of each kind (journal cycle files, Chronicle's metadata, payloads, the ring left
 * by a crash, properties files, import marks; see {@link FileKind}) must end in exactly the intact
 * data, compared bit for bit with a read of an undamaged copy ({@link StoreContent}: points,
 * parameters, output lines, items and payloads, prompts), or in a typed {@link RunlogException}.
 * Each case is classified as a typed refusal, correct data, WRONG DATA, LOST DATA (silently fewer),
 * an UNTYPED exception or a HANG, and every case of the last four fails the test, printed with what
 * replays it.
 *
 * <p>Two stores are damaged ({@link DamageFixtures}): one closed cleanly, one left with a ring by a
 * child JVM SIGKILLed while logging, so that each of its cases opens the damaged store through a
 * crash recovery (the crash-open variant: nothing untyped may escape the open either). The stores
 * are built once per run; each case damages a fresh copy. Cases cycle through every (store, file
 * kind, mutation), so a fixed budget covers each; the case's own random numbers (from the seed and
 * its index) choose the file and the offsets. The crashed store's content depends on the instant of
 * the kill, so its replay repeats the file and the damage, not the exact bytes.
 *
 * <p>Properties: {@code -Drunlog.test.seed=S} (printed), {@code -Drunlog.fuzz.cases=N} (default
 * {@value #DEFAULT_CASES}, about a minute), {@code -Drunlog.fuzz.seconds=T} (run for T seconds
 * instead), {@code -Drunlog.fuzz.case=I} (replay case I alone, printing its full evidence),
 * {@code -Drunlog.fuzz.kinds=JOURNAL,RING} (only these file kinds; case indices then differ).
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ClosedStoreDamageFuzzTest {
    static final int DEFAULT_CASES = 140;
    private static final long CASE_TIMEOUT_SECONDS = 60;

    /**
     * Damage known to be open, each with its reason: cases that match are run, classified and
     * printed, but do not fail the test. Empty means the contract holds in full.
     */
    static final List<KnownOpen> KNOWN_OPEN = List.of(
        new KnownOpen(Variant.CRASHED, FileKind.RING, null, true, "ring format 2 recovery skips and counts slots whose"
            + " check fails (Experiment.skippedRingSlots(), a logged warning; ARCHITECTURE.md, damage contract) and opens"
            + " without an error; matched only when the points lost are at most the slots counted and nothing else is"
            + " missing or changed; open question for issue 12: accept a counted skip, or refuse a damaged committed"
            + " slot with a typed error (docs/reports/2026-12-03-damage-fuzz.md, section 2)"));

    /**
     * An excluded (store, kind, mutation) and outcome; a null field matches any. With
     * {@code countedRingLossOnly}, only LOST DATA cases whose loss is at most the experiment's
     * {@code skippedRingSlots()} match: any other failure of that combination still fails.
     */
    record KnownOpen(Variant variant, FileKind kind, Mutation mutation, boolean countedRingLossOnly, String reason) {
        boolean matches(final DamageCase c) {
            return (variant == null || variant == c.variant()) && (kind == null || kind == c.kind())
                && (mutation == null || mutation == c.mutation())
                && (!countedRingLossOnly || c.outcome() == Outcome.LOST_DATA && c.countedRingLoss());
        }
    }

    @TempDir
    Path dir;

    private final Map<Variant, Path> pristine = new EnumMap<>(Variant.class);
    private final Map<Variant, StoreImage> images = new EnumMap<>(Variant.class);
    private final Map<Variant, StoreContent> reference = new EnumMap<>(Variant.class);
    private final Map<Variant, DamageTargets> targets = new EnumMap<>(Variant.class);
    private Path archive;
    private long writeNanos;
    private long openNanos;
    private long readNanos;

    @Test
    void shouldReturnIntactDataOrATypedErrorForEveryDamageToAClosedStore() throws Exception {
        final long seed = TestSeed.of("ClosedStoreDamageFuzzTest");
        final Integer only = Integer.getInteger("runlog.fuzz.case");
        final long seconds = Long.getLong("runlog.fuzz.seconds", 0);
        final int cases = Integer.getInteger("runlog.fuzz.cases", DEFAULT_CASES);
        System.out.println("ClosedStoreDamageFuzzTest: " + (only != null ? "case " + only + " alone"
            : seconds > 0 ? seconds + " s of cases" : cases + " cases") + "; known open: "
            + (KNOWN_OPEN.isEmpty() ? "none" : KNOWN_OPEN.size() + " (listed below)"));
        for (final KnownOpen k : KNOWN_OPEN) {
            System.out.println("  known open (run, printed, not failing): " + k);
        }

        final long t0 = System.nanoTime();
        buildStores();
        final List<Combo> combos = combos();
        System.out.printf(Locale.ROOT, "ClosedStoreDamageFuzzTest: stores built and read in %d ms (clean: %d points,"
                + " crashed: %d points after recovery); %d (store, kind, mutation) combinations%n",
            (System.nanoTime() - t0) / 1_000_000, reference.get(Variant.CLEAN).points(),
            reference.get(Variant.CRASHED).points(), combos.size());
        for (final Variant v : Variant.values()) {
            for (final Map.Entry<FileKind, List<Target>> e : targets.get(v).byKind.entrySet()) {
                System.out.println("  " + v + " " + e.getKey() + ": " + e.getValue().size() + " files, e.g. "
                    + e.getValue().get(0).file() + " (" + e.getValue().get(0).size() + " bytes, "
                    + e.getValue().get(0).used() + " used)");
            }
            System.out.println("  " + v + " files not damaged: " + targets.get(v).untargeted);
        }

        final List<DamageCase> results = new ArrayList<>();
        final long started = System.nanoTime();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "damage-case");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = only != null ? only : 0; ; i++) {
                if (only != null ? i > only : seconds > 0 ? System.nanoTime() - started > seconds * 1_000_000_000L
                    : i >= cases) {
                    break;
                }
                final int index = i;
                final Combo combo = combos.get(index % combos.size());
                final Future<DamageCase> f = worker.submit(() -> runCase(seed, index, combo));
                DamageCase c;
                try {
                    c = f.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (final TimeoutException hung) {
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor();
                    c = new DamageCase(index, combo.variant, combo.kind, "?", combo.mutation, "?", Outcome.HANG,
                        "no answer within " + CASE_TIMEOUT_SECONDS + " s", false, false);
                } catch (final ExecutionException e) {
                    throw new AssertionError("the fuzzer itself failed in case " + index + " (seed " + seed + ")",
                        e.getCause());
                }
                results.add(c);
                if (only != null) {
                    System.out.println(c.describe(seed));
                }
            }
        } finally {
            worker.shutdownNow();
        }
        report(seed, results, (System.nanoTime() - started) / 1_000_000);
        System.out.printf(Locale.ROOT, "ClosedStoreDamageFuzzTest: %.1f ms a case writing the copy, %.1f opening the store,"
            + " %.1f reading%n", writeNanos / 1e6 / Math.max(1, results.size()),
            openNanos / 1e6 / Math.max(1, results.size()), readNanos / 1e6 / Math.max(1, results.size()));

        final List<DamageCase> failing = new ArrayList<>();
        final List<DamageCase> knownOpen = new ArrayList<>();
        for (final DamageCase c : results) {
            if (c.outcome().failing) {
                (KNOWN_OPEN.stream().anyMatch(k -> k.matches(c)) ? knownOpen : failing).add(c);
            }
        }
        for (final DamageCase c : knownOpen) {
            System.out.println("KNOWN OPEN " + c.describe(seed));
        }
        System.out.println("ClosedStoreDamageFuzzTest: " + failing.size() + " failing, " + knownOpen.size()
            + " known open (not failing: " + KNOWN_OPEN.stream().map(KnownOpen::reason).toList() + ")");
        for (final DamageCase c : failing) {
            System.out.println("FAIL " + c.describe(seed));
        }
        if (only == null && results.size() >= combos.size()) {
            for (final Combo combo : combos) {
                assertTrue(results.stream().anyMatch(c -> c.variant() == combo.variant && c.kind() == combo.kind
                    && c.mutation() == combo.mutation), "no case of " + combo);
            }
        }
        assertTrue(failing.isEmpty(), failing.size() + " of " + results.size() + " damaged stores returned wrong or"
            + " fewer data without an error, threw an untyped exception or hung (seed " + seed + "); the first: "
            + (failing.isEmpty() ? "" : failing.get(0).describe(seed)));
    }

    private record Combo(Variant variant, FileKind kind, Mutation mutation) {
    }

    private void buildStores() throws IOException {
        final Path clean = dir.resolve("pristine-clean");
        archive = DamageFixtures.buildClean(clean, dir.resolve("scratch"));
        pristine.put(Variant.CLEAN, clean);
        final Path crashed = dir.resolve("pristine-crashed");
        DamageFixtures.buildCrashed(crashed, dir.resolve("scratch"));
        pristine.put(Variant.CRASHED, crashed);
        for (final Variant v : Variant.values()) {
            targets.put(v, DamageTargets.of(pristine.get(v)));
            images.put(v, StoreImage.of(pristine.get(v)));
            // The reference: a read of an undamaged copy. A second copy must read the same (the control).
            final StoreContent first = readCopy(v, "reference-" + v);
            final StoreContent second = readCopy(v, "control-" + v);
            final StoreContent.Comparison control = first.compare(second);
            assertEquals(StoreContent.Verdict.SAME, control.verdict(), () -> "two undamaged copies of the " + v
                + " store read differently: " + control.difference());
            assertTrue(control.refusals().isEmpty(), () -> "an undamaged copy refused: " + control.refusals());
            reference.put(v, first);
        }
        assertTrue(reference.get(Variant.CRASHED).points() > CrashedStoreChild.READY_POINTS,
            "the crashed store holds too few points");
    }

    private StoreContent readCopy(final Variant v, final String name) throws IOException {
        final Path copy = dir.resolve(name);
        images.get(v).writeTo(copy);
        try (RunlogStore store = RunlogStore.open(copy, DamageFixtures.options())) {
            return StoreContent.read(store, null, null);
        } finally {
            DamageFixtures.deleteRecursively(copy);
        }
    }

    private List<Combo> combos() {
        final List<Combo> combos = new ArrayList<>();
        final String kinds = System.getProperty("runlog.fuzz.kinds", "");
        for (final Variant v : Variant.values()) {
            for (final FileKind k : targets.get(v).byKind.keySet()) {
                if (!kinds.isBlank() && !List.of(kinds.split(",")).contains(k.name())) {
                    continue;
                }
                for (final Mutation m : Mutation.values()) {
                    combos.add(new Combo(v, k, m));
                }
            }
        }
        return combos;
    }

    /** The case's own random numbers: from the seed and its index alone. */
    static SplittableRandom caseRandom(final long seed, final int index) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L)));
    }

    private DamageCase runCase(final long seed, final int index, final Combo combo) throws IOException {
        final SplittableRandom r = caseRandom(seed, index);
        final List<Target> files = targets.get(combo.variant).byKind.get(combo.kind);
        final Target target = files.get(r.nextInt(files.size()));
        final Path copy = dir.resolve("case-" + index); // its own: a hung case keeps its files
        DamageFixtures.deleteRecursively(copy);
        final long w0 = System.nanoTime();
        images.get(combo.variant).writeTo(copy);
        writeNanos += System.nanoTime() - w0;
        final Path damaged = copy.resolve(target.file());
        final String detail = combo.mutation.apply(damaged, target.used(), r);
        Outcome outcome;
        String evidence;
        boolean named = false;
        boolean countedRingLoss = false;
        final StoreContent.Comparison[] last = {null}; // the latest comparison, for an error that follows it
        try {
            final String[] experiment = target.experiment();
            final long o0 = System.nanoTime();
            try (RunlogStore store = RunlogStore.open(copy, DamageFixtures.options())) {
                openNanos += System.nanoTime() - o0;
                final long r0 = System.nanoTime();
                final StoreContent got = experiment == null ? StoreContent.read(store, null, null)
                    : StoreContent.read(store, experiment[0], experiment[1]);
                StoreContent.Comparison c = reference.get(combo.variant).compare(got);
                last[0] = c;
                if (combo.kind == FileKind.IMPORT_MARK && c.verdict() == StoreContent.Verdict.SAME && c.refusals().isEmpty()) {
                    // A damaged mark must not let the same archive in twice, nor lose what it marked.
                    store.importArchive(archive);
                    c = reference.get(combo.variant).compare(StoreContent.read(store, experiment[0], experiment[1]));
                    last[0] = c;
                }
                if (experiment != null && c.verdict() == StoreContent.Verdict.SAME && c.refusals().isEmpty()) {
                    // The operator's next step: log more. It must work or be typed, and leave the old data intact.
                    try (Experiment e = store.project(experiment[0]).openExperiment(experiment[1])) {
                        e.metric(StoreContent.PROBE).log(7, 7L, 0.25);
                        e.logParameter(StoreContent.PROBE, 7L);
                    }
                    final StoreContent after = StoreContent.read(store, experiment[0], experiment[1]);
                    final String missing = after.removeProbe(experiment[0], experiment[1]);
                    c = missing != null
                        ? new StoreContent.Comparison(StoreContent.Verdict.FEWER, missing, List.of())
                        : reference.get(combo.variant).compare(after);
                    last[0] = c;
                }
                readNanos += System.nanoTime() - r0;
            }
            final StoreContent.Comparison cmp = last[0];
            switch (cmp.verdict()) {
                case DIFFERENT -> {
                    outcome = Outcome.WRONG_DATA;
                    evidence = cmp.difference();
                }
                case FEWER -> {
                    outcome = Outcome.LOST_DATA;
                    evidence = cmp.difference() + (cmp.countedRingLoss() ? " [loss <= skippedRingSlots]" : "");
                    countedRingLoss = cmp.countedRingLoss();
                }
                default -> {
                    if (cmp.refusals().isEmpty()) {
                        outcome = Outcome.CORRECT;
                        evidence = "intact";
                    } else {
                        outcome = Outcome.REFUSED;
                        evidence = describe(cmp.refusals().get(0));
                        named = names(cmp.refusals().get(0), damaged, copy);
                    }
                }
            }
        } catch (final RunlogException typed) {
            // Typed, but what was returned before it (compared as it came) must have been intact.
            final StoreContent.Comparison before = last[0];
            if (before != null && before.verdict() != StoreContent.Verdict.SAME) {
                outcome = before.verdict() == StoreContent.Verdict.DIFFERENT ? Outcome.WRONG_DATA : Outcome.LOST_DATA;
                evidence = before.difference() + " (then " + describe(typed) + ")";
            } else {
                outcome = Outcome.REFUSED;
                evidence = describe(typed);
                named = names(typed, damaged, copy);
            }
        } catch (final Throwable untyped) {
            outcome = Outcome.UNTYPED;
            final StringWriter trace = new StringWriter();
            untyped.printStackTrace(new PrintWriter(trace));
            final String[] lines = trace.toString().split("\n");
            evidence = String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 6)));
        }
        DamageFixtures.deleteRecursively(copy);
        return new DamageCase(index, combo.variant, combo.kind, target.file(), combo.mutation, detail, outcome, evidence,
            named, countedRingLoss);
    }

    private static String describe(final RunlogException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Whether the error (or a cause) names the damaged file, or the directory it was in. */
    private static boolean names(final Throwable e, final Path damaged, final Path store) {
        final String file = damaged.getFileName().toString();
        final String parent = damaged.getParent().toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            final String m = t.getMessage();
            if (m != null && (m.contains(file) || m.contains(parent))) {
                return true;
            }
        }
        return false;
    }

    private static void report(final long seed, final List<DamageCase> results, final long millis) {
        final Map<String, int[]> rows = new TreeMap<>();
        final Map<String, int[]> byKind = new TreeMap<>();
        final int[] total = new int[Outcome.values().length];
        int unnamed = 0;
        int counted = 0;
        for (final DamageCase c : results) {
            counted += c.countedRingLoss() ? 1 : 0;
            rows.computeIfAbsent(c.variant() + " | " + c.kind() + " | " + c.mutation(), k -> new int[total.length])
                [c.outcome().ordinal()]++;
            byKind.computeIfAbsent(c.variant() + " | " + c.kind() + " | all", k -> new int[total.length])
                [c.outcome().ordinal()]++;
            total[c.outcome().ordinal()]++;
            if (c.outcome() == Outcome.REFUSED && !c.named()) {
                unnamed++;
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ClosedStoreDamageFuzzTest: seed %d, %d cases in %d ms%n", seed,
            results.size(), millis));
        sb.append("| store | file | mutation |");
        for (final Outcome o : Outcome.values()) {
            sb.append(' ').append(o.label).append(" |");
        }
        sb.append('\n').append("|---|---|---|");
        for (int i = 0; i < total.length; i++) {
            sb.append("---:|");
        }
        sb.append('\n');
        for (final Map<String, int[]> m : List.of(rows, byKind)) {
            for (final Map.Entry<String, int[]> e : m.entrySet()) {
                row(sb, e.getKey(), e.getValue());
            }
        }
        row(sb, "all | all | all", total);
        sb.append(String.format(Locale.ROOT, "typed refusals whose message names neither the damaged file nor its"
            + " directory: %d of %d%n", unnamed, total[Outcome.REFUSED.ordinal()]));
        sb.append(String.format(Locale.ROOT, "LOST DATA cases whose only loss is metric points, as many as the"
            + " experiment's skippedRingSlots() reports: %d of %d%n", counted, total[Outcome.LOST_DATA.ordinal()]));
        System.out.print(sb);
    }

    private static void row(final StringBuilder sb, final String key, final int[] counts) {
        sb.append("| ").append(key).append(" |");
        for (final int n : counts) {
            sb.append(' ').append(n == 0 ? "" : Integer.toString(n)).append(" |");
        }
        sb.append('\n');
    }

    @Test
    void shouldTellFewerFromWrongData() {
        final StoreContent ref = content(new long[]{1, 2, 3}, List.of("a", "b"));
        assertEquals(StoreContent.Verdict.SAME, ref.compare(content(new long[]{1, 2, 3}, List.of("a", "b"))).verdict());
        assertEquals(StoreContent.Verdict.FEWER, ref.compare(content(new long[]{1, 3}, List.of("a", "b"))).verdict());
        assertEquals(StoreContent.Verdict.FEWER, ref.compare(content(new long[]{1, 2, 3}, List.of("b"))).verdict());
        assertEquals(StoreContent.Verdict.DIFFERENT, ref.compare(content(new long[]{1, 2, 4}, List.of("a", "b"))).verdict());
        assertEquals(StoreContent.Verdict.DIFFERENT, ref.compare(content(new long[]{3, 2, 1}, List.of("a", "b"))).verdict());
        assertEquals(StoreContent.Verdict.DIFFERENT, ref.compare(content(new long[]{1, 2, 3, 3}, List.of("a", "b")))
            .verdict());
        assertEquals(StoreContent.Verdict.DIFFERENT, ref.compare(content(new long[]{1}, List.of("a", "c"))).verdict());
        final StoreContent refusedAfterWrong = content(new long[]{1, 2, 4}, List.of("a", "b"));
        final StoreContent.ExperimentContent partial = refusedAfterWrong.projects.get("p").experiments().get("k");
        partial.stage = StoreContent.STAGE_METRICS;
        partial.refusal = new io.runlog.CorruptStoreException("payload damaged");
        assertEquals(StoreContent.Verdict.DIFFERENT, ref.compare(refusedAfterWrong).verdict(),
            "data returned before a refusal is compared too");
        partial.points.put("m", new long[][]{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}});
        final StoreContent.Comparison refused = ref.compare(refusedAfterWrong);
        assertEquals(StoreContent.Verdict.SAME, refused.verdict());
        assertEquals(1, refused.refusals().size());
        final StoreContent none = new StoreContent();
        assertEquals(StoreContent.Verdict.FEWER, ref.compare(none).verdict());
        if (ref.compare(none).difference() == null) {
            fail("no difference named");
        }
    }

    private static StoreContent content(final long[] values, final List<String> output) {
        final StoreContent c = new StoreContent();
        final StoreContent.ExperimentContent e = new StoreContent.ExperimentContent();
        e.metrics.add(new io.runlog.MetricInfo("m", values.length));
        e.points.put("m", new long[][]{values.clone(), values.clone(), values});
        e.output = output.stream().map(s -> new io.runlog.OutputLine(io.runlog.OutputChannel.STDOUT, s, 0)).toList();
        e.pointCount = values.length;
        e.stage = StoreContent.STAGE_ALL;
        e.outputLineCount = output.size();
        final Map<String, StoreContent.ExperimentContent> experiments = new TreeMap<>();
        experiments.put("k", e);
        c.projects.put("p", new StoreContent.ProjectContent(io.runlog.ProjectKind.EXPERIMENT_MANAGEMENT, experiments));
        return c;
    }
}
