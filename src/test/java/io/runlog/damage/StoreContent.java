package io.runlog.damage;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.OutputLine;
import io.runlog.Parameter;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.Prompt;
import io.runlog.RunlogException;
import io.runlog.RunlogStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a store returns through the public API, read whole: projects and their kinds,
 * experiment keys, and for each experiment its header (offline flag, creation time), metrics (every
 * point's step, timestamp and value bits), counts, parameters with their history, output lines,
 * items with their payload bytes, and prompts. {@link #compare} tells whether a read of a damaged
 * store is exactly this, silently fewer (every element read is the reference's, in order, and
 * some are missing) or different.
 *
 * <p>An experiment that refuses to open or to be read with a {@link RunlogException} is kept as
 * {@link ExperimentContent#refusal}; anything else thrown escapes (the caller classifies it as
 * untyped).
 */
final class StoreContent {
    /** project name -> its content, sorted by name. */
    final Map<String, ProjectContent> projects = new TreeMap<>();

    record ProjectContent(ProjectKind kind, Map<String, ExperimentContent> experiments) {
    }

    /** One experiment as read, or the typed refusal that ended its read. */
    static final class ExperimentContent {
        RunlogException refusal;
        /** Sections read whole before a refusal (all of them without one): see {@link #readExperiment}. */
        int stage;
        boolean offline;
        long createdAt;
        /** {@code Experiment.skippedRingSlots()}: reported with a difference, never compared. */
        long skippedRingSlots;
        long pointCount;
        long outputLineCount;
        long promptCount;
        final List<MetricInfo> metrics = new ArrayList<>();
        final Map<String, long[][]> points = new LinkedHashMap<>();
        final Map<String, Parameter> parameters = new TreeMap<>();
        final Map<String, List<Parameter>> parameterHistory = new TreeMap<>();
        List<OutputLine> output = List.of();
        List<Item> items = List.of();
        final List<byte[]> payloads = new ArrayList<>();
        List<Prompt> prompts = List.of();
    }

    /** What a read of a damaged store is, measured against the undamaged one. */
    enum Verdict {
        /** Bit for bit the reference (experiments that refused with a typed error aside). */
        SAME,
        /** Some elements silently missing; every element returned is the reference's, in order. */
        FEWER,
        /** Something returned differs from the reference, or was never in it. */
        DIFFERENT
    }

    /** A verdict with the first difference that made it, and the typed refusals met. */
    /**
     * @param countedRingLoss for {@link Verdict#FEWER}: true if every missing element is a metric
     *                        point and their number is at most the experiments' {@code skippedRingSlots()}
     *                        (a loss the store counted and reported, though without an error; a
     *                        damaged slot past the last committed one may have held no point, so
     *                        recovery can only over-count)
     */
    record Comparison(Verdict verdict, String difference, List<RunlogException> refusals, boolean countedRingLoss) {
        Comparison(final Verdict verdict, final String difference, final List<RunlogException> refusals) {
            this(verdict, difference, refusals, false);
        }
    }

    /**
     * Reads the store whole. {@code experimentsOf}, when not null, limits the experiments opened
     * to one project/key (the others are only listed); this is how the fuzzer keeps a case short
     * when the damaged file belongs to one experiment.
     */
    static StoreContent read(final RunlogStore store, final String onlyProject, final String onlyKey) {
        final StoreContent content = new StoreContent();
        for (final Project p : store.projects()) {
            final Map<String, ExperimentContent> experiments = new TreeMap<>();
            for (final String key : p.experimentKeys()) {
                if (onlyProject != null && !(onlyProject.equals(p.name()) && onlyKey.equals(key))) {
                    experiments.put(key, null);
                    continue;
                }
                experiments.put(key, readExperiment(p, key));
            }
            content.projects.put(p.name(), new ProjectContent(p.kind(), experiments));
        }
        return content;
    }

    static final int STAGE_HEADER = 1;
    static final int STAGE_METRICS = 2;
    static final int STAGE_PARAMETERS = 3;
    static final int STAGE_OUTPUT = 4;
    static final int STAGE_ITEMS = 5;
    static final int STAGE_PAYLOADS = 6;
    static final int STAGE_ALL = 7;

    private static ExperimentContent readExperiment(final Project project, final String key) {
        final ExperimentContent c = new ExperimentContent();
        try (Experiment e = project.openExperiment(key)) {
            c.offline = e.isOffline();
            c.createdAt = e.createdAt();
            c.skippedRingSlots = e.skippedRingSlots();
            c.pointCount = e.pointCount();
            c.outputLineCount = e.outputLineCount();
            c.promptCount = project.kind() == ProjectKind.LLM ? e.promptCount() : 0;
            c.stage = STAGE_HEADER;
            c.metrics.addAll(e.metrics());
            for (final MetricInfo m : c.metrics) {
                final MetricSeries s = e.readMetric(m.name());
                c.points.put(m.name(), new long[][]{s.steps(), s.timestamps(), s.valueBitsArray()});
            }
            c.stage = STAGE_METRICS;
            final Map<String, Parameter> parameters = e.parameters();
            for (final String name : parameters.keySet()) {
                c.parameterHistory.put(name, e.parameterHistory(name));
            }
            c.parameters.putAll(parameters);
            c.stage = STAGE_PARAMETERS;
            c.output = e.outputLines();
            c.stage = STAGE_OUTPUT;
            c.items = e.items();
            c.stage = STAGE_ITEMS;
            for (final Item item : c.items) {
                c.payloads.add(e.readPayload(item));
            }
            c.stage = STAGE_PAYLOADS;
            if (project.kind() == ProjectKind.LLM) {
                c.prompts = e.prompts();
            }
            c.stage = STAGE_ALL;
        } catch (final RunlogException refused) {
            c.refusal = refused;
        }
        return c;
    }

    /** Name of the metric and parameter a case logs after the damage (see {@link #removeProbe}). */
    static final String PROBE = "fuzz-after-damage";

    /**
     * Takes out of a read what a case logged after the damage (one point of metric {@link #PROBE}
     * at step 7, timestamp 7, value 0.25, and parameter {@link #PROBE} = 7), so that the rest can be
     * compared with the reference. Returns what is missing of it, or null if it is all there (a
     * refused read has nothing to take out and returns null: the refusal is kept).
     */
    String removeProbe(final String project, final String key) {
        final ExperimentContent e = projects.get(project) == null ? null : projects.get(project).experiments().get(key);
        if (e == null || e.refusal != null) {
            return null;
        }
        final long[][] probe = e.points.remove(PROBE);
        final boolean metric = e.metrics.removeIf(m -> m.name().equals(PROBE));
        final Parameter parameter = e.parameters.remove(PROBE);
        e.parameterHistory.remove(PROBE);
        if (!metric || probe == null || probe[0].length != 1 || probe[0][0] != 7 || probe[1][0] != 7
            || probe[2][0] != Double.doubleToRawLongBits(0.25)) {
            return project + "/" + key + ": the point logged after the damage reads " + (probe == null ? "missing"
                : probe[0].length + " points");
        }
        e.pointCount -= 1;
        if (parameter == null || parameter.longValue() != 7) {
            return project + "/" + key + ": the parameter logged after the damage reads " + parameter;
        }
        return null;
    }

    /** Total metric points held (for the fixture's summary). */
    long points() {
        long n = 0;
        for (final ProjectContent p : projects.values()) {
            for (final ExperimentContent e : p.experiments().values()) {
                if (e != null) {
                    n += e.pointCount;
                }
            }
        }
        return n;
    }

    /**
     * Compares {@code actual} (a read of a damaged copy) with this reference. Experiments that
     * {@code actual} did not open (null) are compared by presence only; an experiment refused with
     * a typed error counts as a refusal, not a difference.
     */
    Comparison compare(final StoreContent actual) {
        final Differ d = new Differ();
        for (final Map.Entry<String, ProjectContent> pe : projects.entrySet()) {
            final ProjectContent ref = pe.getValue();
            final ProjectContent got = actual.projects.get(pe.getKey());
            if (got == null) {
                d.fewer("project " + pe.getKey() + " is missing");
                continue;
            }
            if (got.kind() != ref.kind()) {
                d.different("project " + pe.getKey() + " has kind " + got.kind() + ", not " + ref.kind());
            }
            for (final Map.Entry<String, ExperimentContent> ee : ref.experiments().entrySet()) {
                final String where = pe.getKey() + "/" + ee.getKey();
                if (!got.experiments().containsKey(ee.getKey())) {
                    d.fewer("experiment " + where + " is missing");
                    continue;
                }
                final ExperimentContent g = got.experiments().get(ee.getKey());
                if (g == null || ee.getValue() == null) {
                    continue;
                }
                if (g.refusal != null) {
                    d.refusals.add(g.refusal);
                }
                // What was returned before a refusal must be intact too.
                compareExperiment(g.skippedRingSlots == 0 ? where
                    : where + " (skippedRingSlots " + g.skippedRingSlots + ")", ee.getValue(), g, d);
            }
            for (final String key : got.experiments().keySet()) {
                if (!ref.experiments().containsKey(key)) {
                    d.different("experiment " + pe.getKey() + "/" + key + " was never created");
                }
            }
        }
        for (final String name : actual.projects.keySet()) {
            if (!projects.containsKey(name)) {
                d.different("project " + name + " was never created");
            }
        }
        return new Comparison(d.verdict, d.first, d.refusals, d.verdict == Verdict.FEWER && !d.fewerBesidesPoints
            && d.pointsMissing > 0 && d.pointsMissing <= d.skippedRingSlots);
    }

    private static void compareExperiment(final String where, final ExperimentContent ref, final ExperimentContent got,
                                          final Differ d) {
        if (ref.refusal != null) {
            throw new IllegalStateException("the undamaged reference refused " + where + ": " + ref.refusal);
        }
        if (got.stage < STAGE_HEADER) {
            return;
        }
        if (ref.offline != got.offline || ref.createdAt != got.createdAt) {
            d.different(where + ": header offline=" + got.offline + " createdAt=" + got.createdAt + ", expected offline="
                + ref.offline + " createdAt=" + ref.createdAt);
        }
        d.skippedRingSlots += got.skippedRingSlots;
        if (got.pointCount < ref.pointCount) {
            d.pointsMissing += ref.pointCount - got.pointCount;
            d.pointFewer(where + ": pointCount is " + got.pointCount + ", expected " + ref.pointCount);
        } else {
            counts(where + ": pointCount", ref.pointCount, got.pointCount, d);
        }
        counts(where + ": outputLineCount", ref.outputLineCount, got.outputLineCount, d);
        counts(where + ": promptCount", ref.promptCount, got.promptCount, d);
        final List<String> refNames = ref.metrics.stream().map(MetricInfo::name).toList();
        final List<String> gotNames = got.metrics.stream().map(MetricInfo::name).toList();
        sequence(where + ": metric names", refNames, gotNames, d);
        for (final MetricInfo m : got.metrics) {
            final long[][] r = ref.points.get(m.name());
            final long[][] g = got.points.get(m.name());
            if (r == null || g == null) {
                continue; // reported by the names, or not read before a refusal
            }
            if (g[0].length != m.count()) {
                d.different(where + ": metric " + m.name() + " lists " + m.count() + " points but reads " + g[0].length);
            }
            points(where + ": metric " + m.name(), r, g, d);
        }
        if (got.stage < STAGE_PARAMETERS) {
            return;
        }
        sequence(where + ": parameter names", List.copyOf(ref.parameters.keySet()),
            List.copyOf(got.parameters.keySet()), d);
        for (final Map.Entry<String, Parameter> p : got.parameters.entrySet()) {
            final Parameter r = ref.parameters.get(p.getKey());
            if (r == null) {
                continue;
            }
            final List<Parameter> rh = ref.parameterHistory.get(p.getKey());
            final List<Parameter> gh = got.parameterHistory.get(p.getKey());
            sequence(where + ": history of parameter " + p.getKey(), rh, gh, d);
            if (!r.equals(p.getValue())) {
                // The latest value differs: fewer if it is an earlier value of the history, else different.
                if (rh.contains(p.getValue())) {
                    d.fewer(where + ": parameter " + p.getKey() + " is " + p.getValue() + ", an earlier value of " + r);
                } else {
                    d.different(where + ": parameter " + p.getKey() + " is " + p.getValue() + ", expected " + r);
                }
            }
        }
        if (got.stage < STAGE_OUTPUT) {
            return;
        }
        sequence(where + ": output lines", ref.output, got.output, d);
        if (got.stage < STAGE_ITEMS) {
            return;
        }
        sequence(where + ": items", ref.items, got.items, d);
        for (int i = 0; i < got.payloads.size(); i++) {
            final int at = ref.items.indexOf(got.items.get(i));
            if (at >= 0 && !Arrays.equals(ref.payloads.get(at), got.payloads.get(i))) {
                d.different(where + ": payload of item " + got.items.get(i).name() + " (" + got.items.get(i).sha256()
                    + ") reads " + got.payloads.get(i).length + " bytes, sha256 " + sha256(got.payloads.get(i)));
            }
        }
        if (got.stage < STAGE_ALL) {
            return;
        }
        sequence(where + ": prompts", ref.prompts, got.prompts, d);
    }

    private static void counts(final String what, final long ref, final long got, final Differ d) {
        if (got < ref) {
            d.fewer(what + " is " + got + ", expected " + ref);
        } else if (got > ref) {
            d.different(what + " is " + got + ", expected " + ref);
        }
    }

    /** {@code got} equal to {@code ref}, a strict subsequence of it (fewer), or different. */
    private static <T> void sequence(final String what, final List<T> ref, final List<T> got, final Differ d) {
        if (ref.equals(got)) {
            return;
        }
        int r = 0;
        for (int g = 0; g < got.size(); g++) {
            while (r < ref.size() && !Objects.equals(ref.get(r), got.get(g))) {
                r++;
            }
            if (r == ref.size()) {
                d.different(what + ": element " + g + " " + got.get(g) + " is not in the reference (" + ref.size()
                    + " elements) in order");
                return;
            }
            r++;
        }
        d.fewer(what + ": " + got.size() + " of " + ref.size());
    }

    /** Points as (step, timestamp, value bits) triples: equal, a strict subsequence, or different. */
    private static void points(final String what, final long[][] ref, final long[][] got, final Differ d) {
        if (Arrays.equals(ref[0], got[0]) && Arrays.equals(ref[1], got[1]) && Arrays.equals(ref[2], got[2])) {
            return;
        }
        int r = 0;
        for (int g = 0; g < got[0].length; g++) {
            while (r < ref[0].length && !(ref[0][r] == got[0][g] && ref[1][r] == got[1][g] && ref[2][r] == got[2][g])) {
                r++;
            }
            if (r == ref[0].length) {
                d.different(what + ": point " + g + " (step " + got[0][g] + ", timestamp " + got[1][g] + ", value bits 0x"
                    + Long.toHexString(got[2][g]) + " = " + Double.longBitsToDouble(got[2][g])
                    + ") is not in the reference in order (" + describeNear(ref, g) + ")");
                return;
            }
            r++;
        }
        d.pointFewer(what + ": " + got[0].length + " of " + ref[0].length + " points");
    }

    private static String describeNear(final long[][] ref, final int g) {
        if (g >= ref[0].length) {
            return "the reference has " + ref[0].length + " points";
        }
        return "reference point " + g + ": step " + ref[0][g] + ", timestamp " + ref[1][g] + ", value bits 0x"
            + Long.toHexString(ref[2][g]);
    }

    static String sha256(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects the worst verdict and the first difference that made it. */
    private static final class Differ {
        Verdict verdict = Verdict.SAME;
        String first;
        final List<RunlogException> refusals = new ArrayList<>();

        boolean fewerBesidesPoints;
        long pointsMissing;
        long skippedRingSlots;

        /** Fewer metric points (the only loss a counted ring skip may explain). */
        void pointFewer(final String what) {
            if (verdict == Verdict.SAME) {
                verdict = Verdict.FEWER;
                first = what;
            }
        }

        void fewer(final String what) {
            fewerBesidesPoints = true;
            if (verdict == Verdict.SAME) {
                verdict = Verdict.FEWER;
                first = what;
            }
        }

        void different(final String what) {
            if (verdict != Verdict.DIFFERENT) {
                verdict = Verdict.DIFFERENT;
                first = what;
            }
        }
    }
}
