package io.runlog.damage;

import io.runlog.Experiment;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;
import io.runlog.archive.ArchiveHeader;
import io.runlog.archive.ArchiveReader;
import io.runlog.archive.ArchiveVisitor;
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
 * Each case is classified as a typed refusal, correct data, a reported loss (only metric points
 * missing, no more than the experiment's {@code skippedRingSlots()} counts: ring slots recovery
 * skipped, which {@code runlog check} and {@code status} report), WRONG DATA, LOST DATA (silently
 * fewer), an UNTYPED exception or a HANG, and every case of the last four fails the test, printed
 * with what replays it. Each (store, file kind, mutation) is run through a writable open and
 * through a read-only one ({@code RunlogStore.openReadOnly}, compared with a read-only read of an
 * undamaged copy), except import marks, which only an import reads, and Chronicle's metadata
 * (see {@link #readByReadOnlyOpens}).
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
    static final int DEFAULT_CASES = 175;
    private static final long CASE_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private final Map<Variant, Path> pristine = new EnumMap<>(Variant.class);
    private final Map<Variant, StoreImage> images = new EnumMap<>(Variant.class);
    private final Map<Variant, StoreContent> reference = new EnumMap<>(Variant.class);
    /** What a read-only open of an undamaged copy reads (for the crashed store: without the points still in its ring). */
    private final Map<Variant, StoreContent> readOnlyReference = new EnumMap<>(Variant.class);
    /** The intact {@code archive-source.id} of each experiment that has one, by its file (relative to the store). */
    private final Map<Variant, Map<String, String>> sourceIds = new EnumMap<>(Variant.class);
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
            : seconds > 0 ? seconds + " s of cases" : cases + " cases"));

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
                    c = new DamageCase(index, combo.variant, combo.readOnly, combo.kind, "?", combo.mutation, "?",
                        Outcome.HANG, "no answer within " + CASE_TIMEOUT_SECONDS + " s", false);
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

        final List<DamageCase> failing = results.stream().filter(c -> c.outcome().failing).toList();
        System.out.println("ClosedStoreDamageFuzzTest: " + failing.size() + " failing");
        for (final DamageCase c : results) {
            if (c.outcome() == Outcome.REPORTED_LOSS) {
                System.out.println("REPORTED LOSS " + c.describe(seed));
            }
        }
        for (final DamageCase c : failing) {
            System.out.println("FAIL " + c.describe(seed));
        }
        if (only == null && results.size() >= combos.size()) {
            for (final Combo combo : combos) {
                assertTrue(results.stream().anyMatch(c -> c.variant() == combo.variant && c.readOnly() == combo.readOnly
                    && c.kind() == combo.kind && c.mutation() == combo.mutation), "no case of " + combo);
            }
        }
        assertTrue(failing.isEmpty(), failing.size() + " of " + results.size() + " damaged stores returned wrong or"
            + " fewer data without an error, threw an untyped exception or hung (seed " + seed + "); the first: "
            + (failing.isEmpty() ? "" : failing.get(0).describe(seed)));
    }

    /** One (store, open mode, file kind, mutation) combination. */
    private record Combo(Variant variant, boolean readOnly, FileKind kind, Mutation mutation) {
    }

    /**
     * Kinds fuzzed through read-only opens: not import marks (read only by an import, a write), and
     * not Chronicle's {@code metadata.cq4t}, an open finding: a writable open rebuilds it, but a
     * read-only one must map it as it is, and a damaged one made Chronicle read past its end, a
     * SIGBUS surfacing as an untyped {@code InternalError} (seed 20261203, case 640 of 700:
     * CRASHED read-only METADATA SWAP; docs/damage-fuzzing.md). Everything else a reader reads is
     * fuzzed read-only.
     */
    private static boolean readByReadOnlyOpens(final FileKind kind) {
        return kind != FileKind.IMPORT_MARK && kind != FileKind.METADATA;
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
            for (final boolean readOnly : new boolean[]{false, true}) {
                final StoreContent first = readCopy(v, readOnly, "reference-" + v);
                final StoreContent second = readCopy(v, readOnly, "control-" + v);
                final StoreContent.Comparison control = first.compare(second);
                assertEquals(StoreContent.Verdict.SAME, control.verdict(), () -> "two undamaged copies of the " + v
                    + " store read differently (read-only " + readOnly + "): " + control.difference());
                assertTrue(control.refusals().isEmpty(), () -> "an undamaged copy refused: " + control.refusals());
                (readOnly ? readOnlyReference : reference).put(v, first);
            }
            sourceIds.put(v, sourceIds(pristine.get(v)));
        }
        assertTrue(reference.get(Variant.CRASHED).points() > CrashedStoreChild.READY_POINTS,
            "the crashed store holds too few points");
    }

    private StoreContent readCopy(final Variant v, final boolean readOnly, final String name) throws IOException {
        final Path copy = dir.resolve(name);
        images.get(v).writeTo(copy);
        try (RunlogStore store = open(copy, readOnly)) {
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
                for (final boolean readOnly : new boolean[]{false, true}) {
                    if (readOnly && !readByReadOnlyOpens(k)) {
                        continue;
                    }
                    for (final Mutation m : Mutation.values()) {
                        combos.add(new Combo(v, readOnly, k, m));
                    }
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
        final StoreContent.Comparison[] last = {null}; // the latest comparison, for an error that follows it
        try {
            final String[] experiment = target.experiment();
            final long o0 = System.nanoTime();
            final StoreContent intact = (combo.readOnly ? readOnlyReference : reference).get(combo.variant);
            try (RunlogStore store = open(copy, combo.readOnly)) {
                openNanos += System.nanoTime() - o0;
                final long r0 = System.nanoTime();
                final StoreContent got = experiment == null ? StoreContent.read(store, null, null)
                    : StoreContent.read(store, experiment[0], experiment[1]);
                StoreContent.Comparison c = intact.compare(got);
                last[0] = c;
                if (combo.kind == FileKind.SOURCE_ID && c.verdict() == StoreContent.Verdict.SAME && c.refusals().isEmpty()) {
                    // A damaged identity must not be exported as another source's (its archives would import twice).
                    final String exported = exportedSourceId(store, experiment, copy.resolve("case-" + index + ".rla"));
                    final String expected = sourceIds.get(combo.variant).get(target.file());
                    if (!expected.equals(exported)) {
                        c = new StoreContent.Comparison(StoreContent.Verdict.DIFFERENT, "exported under source id "
                            + exported + ", not the intact " + expected, List.of());
                        last[0] = c;
                    }
                }
                if (combo.kind == FileKind.IMPORT_MARK && c.verdict() == StoreContent.Verdict.SAME && c.refusals().isEmpty()) {
                    // A damaged mark must not let the same archive in twice, nor lose what it marked.
                    store.importArchive(archive);
                    c = intact.compare(StoreContent.read(store, experiment[0], experiment[1]));
                    last[0] = c;
                }
                if (!combo.readOnly && experiment != null && c.verdict() == StoreContent.Verdict.SAME
                    && c.refusals().isEmpty()) {
                    // The operator's next step: log more. It must work or be typed, and leave the old data intact.
                    try (Experiment e = store.project(experiment[0]).openExperiment(experiment[1])) {
                        e.metric(StoreContent.PROBE).log(7, 7L, 0.25);
                        e.logParameter(StoreContent.PROBE, 7L);
                    }
                    final StoreContent after = StoreContent.read(store, experiment[0], experiment[1]);
                    final String missing = after.removeProbe(experiment[0], experiment[1]);
                    c = missing != null
                        ? new StoreContent.Comparison(StoreContent.Verdict.FEWER, missing, List.of())
                        : intact.compare(after);
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
                    // Reported: only points are missing, no more than skippedRingSlots() counts (a lasting record,
                    // read again after the reopen above, that runlog check and status report). Anything else: lost.
                    outcome = cmp.countedRingLoss() ? Outcome.REPORTED_LOSS : Outcome.LOST_DATA;
                    evidence = cmp.difference() + (cmp.countedRingLoss() ? " [loss <= skippedRingSlots]" : "");
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
            if (before != null && before.verdict() != StoreContent.Verdict.SAME
                && !(before.verdict() == StoreContent.Verdict.FEWER && before.countedRingLoss())) {
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
        return new DamageCase(index, combo.variant, combo.readOnly, combo.kind, target.file(), combo.mutation, detail,
            outcome, evidence, named);
    }

    private static RunlogStore open(final Path store, final boolean readOnly) {
        return readOnly ? RunlogStore.openReadOnly(store, DamageFixtures.options())
            : RunlogStore.open(store, DamageFixtures.options());
    }

    /** The source id that an export of {@code experiment} carries. */
    private static String exportedSourceId(final RunlogStore store, final String[] experiment, final Path archive) {
        final String[] id = {null};
        try (Experiment e = store.project(experiment[0]).openExperiment(experiment[1])) {
            e.export(archive);
        }
        try (ArchiveReader r = ArchiveReader.open(archive)) {
            r.read(new ArchiveVisitor() {
                @Override
                public void experiment(final ArchiveHeader header) {
                    id[0] = header.sourceId();
                }
            });
        }
        return id[0];
    }

    /** Every experiment's intact {@code archive-source.id}, by its path relative to the store. */
    private static Map<String, String> sourceIds(final Path store) throws IOException {
        final Map<String, String> ids = new TreeMap<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(store)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().equals(io.runlog.store.StoreLayout.SOURCE_ID_FILE)) {
                    ids.put(store.relativize(f).toString().replace('\\', '/'),
                        java.nio.file.Files.readString(f).strip());
                }
            }
        }
        return ids;
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
        for (final DamageCase c : results) {
            rows.computeIfAbsent(c.store() + " | " + c.kind() + " | " + c.mutation(), k -> new int[total.length])
                [c.outcome().ordinal()]++;
            byKind.computeIfAbsent(c.store() + " | " + c.kind() + " | all", k -> new int[total.length])
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
