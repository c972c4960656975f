package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.ValueMode;
import io.runlog.codec.VarInt;
import io.runlog.codec.XorCoding;
import io.runlog.MetricSeries;
import io.runlog.StoreOptions;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The drain's value coding (journal format version 3): each run is DECIMAL or XOR, whichever is
 * smaller; a DECIMAL run decodes bit for bit; a run holding a value without an exact decimal form
 * is XOR; the catalog rebuilt from the journal (reopen) finds the same runs. Writes batches straight
 * through {@link PointBatchWriter} so the chosen coding of every run can be checked.
 */
class PointBatchWriterTest extends DrainFixture {
    private static final long[] SPECIALS = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff0000000000001L, 0xfff8000000000123L,
        Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), 1L, 0x800fffffffffffffL, // subnormals
        Double.doubleToRawLongBits(1e-19), // needs more decimals than the largest exponent
    };

    PointBatchWriterTest() {
        super(8192);
    }

    private final List<Series> series = new ArrayList<>();

    @Test
    void shouldRoundTripMixedRunsBitExactlyAndNeverCodeWorseThanXorWhenWeighingEveryRun() {
        writer = new PointBatchWriter(0);
        logAndDrainMixedRuns(true);
    }

    @Test
    void shouldRoundTripMixedRunsBitExactlyAndStayWithinXorsWorstCaseWhenPredicting() {
        logAndDrainMixedRuns(false);
    }

    /**
     * 300 batches of five metrics of different kinds. Weighing every run, each run must be the
     * shortest coding; predicting, a run may be longer than XOR but never more than XOR's worst
     * case, 9 bytes a value (which bounds the record). Either way, every value round-trips.
     */
    private void logAndDrainMixedRuns(final boolean weighingEveryRun) {
        final long seed = Long.getLong("runlog.test.seed", System.nanoTime());
        System.out.println("PointBatchWriterTest seed=" + seed + " weighingEveryRun=" + weighingEveryRun);
        final SplittableRandom random = new SplittableRandom(seed);
        final Series loss = define("loss");          // 4 decimals, a slowly moving curve
        final Series anyExponent = define("any-e");  // each value d / 10^e with its own e, 0 to 18
        final Series float32 = define("float32");    // random floats widened to double
        final Series bits = define("bits");          // random bit patterns
        final Series spiked = define("spiked");      // 2 decimals, now and then a value with no decimal form
        long lossDigits = 25_000;
        long spikedDigits = 1_000;
        for (int batch = 0; batch < 300; batch++) {
            final int n = 1 + random.nextInt(batch % 10 == 0 ? 4000 : 300);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        lossDigits += random.nextInt(201) - 100;
                        loss.log(DecimalCoding.decode(lossDigits, 4));
                    }
                    case 1 -> {
                        final int e = random.nextInt(DecimalCoding.MAX_EXPONENT + 1);
                        final long d = random.nextLong() >> random.nextInt(64);
                        anyExponent.log(DecimalCoding.decode(d, e));
                    }
                    case 2 -> float32.log(Double.doubleToRawLongBits(Float.intBitsToFloat(random.nextInt())));
                    case 3 -> bits.log(random.nextLong());
                    default -> {
                        spikedDigits += random.nextInt(21) - 10;
                        spiked.log(random.nextInt(40) == 0 ? SPECIALS[random.nextInt(SPECIALS.length)]
                            : DecimalCoding.decode(spikedDigits, 2));
                    }
                }
            }
            drain();
        }
        for (final Series s : series) {
            s.check(catalog, journal, "seed " + seed);
            if (weighingEveryRun) {
                s.checkNeverWorseThanXor(catalog, "seed " + seed);
            } else {
                s.checkAtMostNineBytesAValue(catalog, "seed " + seed);
            }
        }
        if (weighingEveryRun) {
            loss.checkRunsOfTwoOrMoreAreDecimal(catalog, "seed " + seed);
        } else {
            loss.checkRunsOfSixtyFourOrMoreAreDecimal(catalog, "seed " + seed);
        }
        spiked.checkRunsWithASpecialAreXor(catalog, "seed " + seed);
        reopenAndCheck("seed " + seed);
    }

    @Test
    void shouldRaiseARunsExponentAndScaleItsEarlierDigits() {
        final Series m = define("m");
        for (final double v : new double[]{2.5, 2.47, 2.4631, 3, -0.0001}) {
            m.log(Double.doubleToRawLongBits(v));
        }
        drain();
        final MetricExtents x = catalog.extents(m.id);
        assertEquals(1, x.size());
        assertEquals("DECIMAL 4", RunCoding.of(x, 0));
        int expected = 0;
        long previous = 0;
        for (final long d : new long[]{25_000, 24_700, 24_631, 30_000, -1}) {
            expected += VarInt.length(VarInt.zigzag(d - previous));
            previous = d;
        }
        assertEquals(expected, x.valueBytes(0));
        m.check(catalog, journal, "");
        reopenAndCheck("");
    }

    @Test
    void shouldCodeARunXorWhenOneValueHasNoExactDecimal() {
        final List<Series> all = new ArrayList<>();
        for (final long special : SPECIALS) {
            final Series m = define("m" + all.size());
            for (final double v : new double[]{0.5, 0.25, 0.125}) {
                m.log(Double.doubleToRawLongBits(v));
            }
            m.log(special);
            m.log(Double.doubleToRawLongBits(0.0625));
            all.add(m);
        }
        drain();
        for (final Series m : all) {
            assertEquals("XOR", RunCoding.of(catalog.extents(m.id), 0),
                () -> "special " + Long.toHexString(m.bits.getLong(3)));
            m.check(catalog, journal, "");
        }
        reopenAndCheck("");
    }

    @Test
    void shouldCodeARunXorWhenScalingItsDigitsWouldPass2To53() {
        final Series m = define("m");
        m.log(Double.doubleToRawLongBits(1234567890123456.0)); // e = 0, d < 2^53; at e = 1 it would not be
        m.log(Double.doubleToRawLongBits(0.5));
        final Series fine = define("fine");
        fine.log(Double.doubleToRawLongBits(123456789012345.0)); // at e = 1 still below 2^53
        fine.log(Double.doubleToRawLongBits(0.5));
        final Series late = define("late"); // d > 2^53 at e = 1 is exact as it is, but not scaled to e = 2
        late.log(Double.doubleToRawLongBits(0.5));
        late.log(Double.doubleToRawLongBits(1234567890123456.0));
        late.log(Double.doubleToRawLongBits(0.25));
        drain();
        assertEquals("XOR", RunCoding.of(catalog.extents(m.id), 0));
        assertEquals("DECIMAL 1", RunCoding.of(catalog.extents(fine.id), 0));
        assertEquals("XOR", RunCoding.of(catalog.extents(late.id), 0));
        m.check(catalog, journal, "");
        fine.check(catalog, journal, "");
        late.check(catalog, journal, "");
    }

    @Test
    void shouldPreferXorOnATie() {
        final Series zero = define("zero"); // 0.0: one byte either way
        zero.log(0L);
        final Series one = define("one");   // 1.0: three bytes XOR, one byte DECIMAL
        one.log(Double.doubleToRawLongBits(1.0));
        drain();
        assertEquals("XOR", RunCoding.of(catalog.extents(zero.id), 0));
        assertEquals(1, catalog.extents(zero.id).valueBytes(0));
        assertEquals("DECIMAL 0", RunCoding.of(catalog.extents(one.id), 0));
        assertEquals(1, catalog.extents(one.id).valueBytes(0));
    }

    @Test
    void shouldCodeASmoothFullPrecisionCurveAsBitsAndReadItBackExactly() {
        final Series smooth = define("smooth"); // step * 1e-3: 14% an ulp off a 3-decimal double, so not DECIMAL
        final Series noisy = define("noisy");   // random bits: XOR stays shortest
        final SplittableRandom random = new SplittableRandom(42);
        for (int step = 1; step <= 1_000; step++) {
            smooth.log(Double.doubleToRawLongBits(step * 1e-3));
            noisy.log(random.nextLong());
        }
        drain();
        final MetricExtents s = catalog.extents(smooth.id);
        assertEquals("BITS", RunCoding.of(s, 0));
        assertTrue(s.valueBytes(0) <= 2 * s.runCount(0), "BITS takes " + s.valueBytes(0) + " bytes for " + s.runCount(0) + " values");
        assertEquals("XOR", RunCoding.of(catalog.extents(noisy.id), 0));
        smooth.check(catalog, journal, "bits");
        noisy.check(catalog, journal, "xor");
        reopenAndCheck("bits");
    }

    @Test
    void shouldCodeAFloat32CurveAsFloat32AndReadItBackExactly() {
        final Series loss = define("loss"); // float32 values of a noisy decaying loss: FLOAT32
        final Series edges = define("edges"); // a float32 curve with every edge case among it: FLOAT32 still
        final Series mixed = define("mixed"); // one value that is no float32: never FLOAT32
        final SplittableRandom random = new SplittableRandom(7);
        final float[] special = {Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL,
            Float.NEGATIVE_INFINITY, 0.0f, 1.0f};
        int xorBytes = 0;
        long previous = 0;
        for (int step = 0; step < 1_000; step++) {
            final long bits = Double.doubleToRawLongBits((float) (2.5 * Math.exp(-step / 300.0) + 0.05 * random.nextDouble()));
            xorBytes += XorCoding.length(bits ^ previous);
            previous = bits;
            loss.log(bits);
            edges.log(Double.doubleToRawLongBits(step % 50 == 0 ? special[step / 50 % special.length] : 1f + step * 1e-4f));
            mixed.log(Double.doubleToRawLongBits(step == 500 ? 0.1 : (float) (1.0 + 0.01 * random.nextGaussian())));
        }
        drain();
        final MetricExtents l = catalog.extents(loss.id);
        assertEquals("FLOAT32", RunCoding.of(l, 0));
        assertTrue(l.valueBytes(0) < xorBytes * 0.8, "FLOAT32 takes " + l.valueBytes(0) + " bytes, XOR would take " + xorBytes);
        assertEquals("FLOAT32", RunCoding.of(catalog.extents(edges.id), 0));
        assertNotEquals("FLOAT32", RunCoding.of(catalog.extents(mixed.id), 0));
        loss.check(catalog, journal, "float32");
        edges.check(catalog, journal, "float32 edges");
        mixed.check(catalog, journal, "mixed");
        reopenAndCheck("float32");
    }

    @Test
    void shouldNeverCodeANanAsFloat32() {
        final Series nan = define("nan"); // NaN payloads need not survive a narrowing: XOR
        for (int step = 0; step < 100; step++) {
            nan.log(step % 2 == 0 ? Double.doubleToRawLongBits((float) step) : 0x7ff8000000000000L);
        }
        drain();
        assertNotEquals("FLOAT32", RunCoding.of(catalog.extents(nan.id), 0));
        nan.check(catalog, journal, "nan");
    }

    @Test
    void shouldCodeRunsInTheirMetricsPredictedModeAndWeighThemAgainEverySixteenRuns() {
        final Series m = define("m");
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 1; i <= 100; i++) {
            m.log(Double.doubleToRawLongBits(i * 1e-3)); // smooth full precision: weighed, BITS
        }
        drain();
        for (int run = 0; run < PointBatchWriter.REWEIGH_EVERY + 1; run++) {
            for (int i = 0; i < 100; i++) { // float32 noise: XOR or FLOAT32 would be shorter than BITS
                m.log(Double.doubleToRawLongBits(Float.intBitsToFloat(random.nextInt() & 0x3FFFFFFF)));
            }
            drain();
        }
        final MetricExtents x = catalog.extents(m.id);
        assertEquals(PointBatchWriter.REWEIGH_EVERY + 2, x.size());
        for (int r = 0; r <= PointBatchWriter.REWEIGH_EVERY; r++) {
            assertEquals("BITS", RunCoding.of(x, r), "run " + r + " is coded as predicted");
        }
        assertNotEquals("BITS", RunCoding.of(x, PointBatchWriter.REWEIGH_EVERY + 1),
            "after 16 predicted runs the next is weighed");
        m.check(catalog, journal, "predicted");
        reopenAndCheck("predicted");
    }

    @Test
    void shouldFallBackToXorWhenAPredictedRunMeetsAValueItsModeCannotCode() {
        final Series decimal = define("decimal");
        final Series float32 = define("float32");
        for (int run = 0; run < 3; run++) {
            for (int i = 0; i < 100; i++) {
                final boolean odd = run == 1 && i == 50; // the second run holds one value of no decimal form (NaN), no float32 (0.1)
                decimal.log(odd ? Double.doubleToRawLongBits(Double.NaN) : DecimalCoding.decode(25_000 - i, 4));
                float32.log(Double.doubleToRawLongBits(odd ? 0.1 : (float) (1.0 + i * 1e-3)));
            }
            drain();
        }
        final MetricExtents d = catalog.extents(decimal.id);
        assertEquals("DECIMAL 4", RunCoding.of(d, 0));
        assertEquals("XOR", RunCoding.of(d, 1), "the predicted DECIMAL run fell back to XOR");
        assertEquals("DECIMAL 4", RunCoding.of(d, 2), "the run after a fallback is weighed");
        final MetricExtents f = catalog.extents(float32.id);
        assertEquals("FLOAT32", RunCoding.of(f, 0));
        assertEquals("XOR", RunCoding.of(f, 1), "the predicted FLOAT32 run fell back to XOR");
        assertEquals("FLOAT32", RunCoding.of(f, 2));
        decimal.check(catalog, journal, "decimal fallback");
        float32.check(catalog, journal, "float32 fallback");
        reopenAndCheck("fallback");
    }

    @Test
    void shouldFallBackToXorWhenAPredictedBitsRunWouldExceedNineBytesAValue() {
        final Series m = define("m");
        final Series other = define("other"); // a second run in the batch: the fallback codes only its own points
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 1; i <= 100; i++) {
            m.log(Double.doubleToRawLongBits(i * 1e-3)); // smooth full precision: weighed, BITS
            other.log(DecimalCoding.decode(i, 2));
        }
        drain();
        for (int i = 0; i < 100; i++) { // random bits: BITS would take 10 bytes a value, XOR at most 9
            other.log(DecimalCoding.decode(100 + i, 2));
            m.log(random.nextLong());
        }
        drain();
        for (int i = 1; i <= 100; i++) {
            m.log(Double.doubleToRawLongBits(i * 1e-3));
        }
        drain();
        final MetricExtents x = catalog.extents(m.id);
        assertEquals("BITS", RunCoding.of(x, 0));
        assertEquals("XOR", RunCoding.of(x, 1), "the predicted BITS run fell back to XOR");
        assertTrue(x.valueBytes(1) <= XorCoding.MAX_LENGTH * x.runCount(1), x.valueBytes(1) + " value bytes");
        assertEquals("BITS", RunCoding.of(x, 2), "the run after a fallback is weighed");
        m.check(catalog, journal, "bits fallback");
        other.check(catalog, journal, "bits fallback");
        reopenAndCheck("bits fallback");
    }

    @Test
    void shouldRefuseANegativeReweighingPeriod() {
        assertThrows(IllegalArgumentException.class, () -> new PointBatchWriter(-1));
    }

    @Test
    void shouldAllocateNothingOnceWarm() {
        final Series a = define("a");
        final Series b = define("b");
        final Series c = define("c");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int allocating = 0;
        for (int batch = 0; batch < 2_000; batch++) {
            for (int i = 0; i < 1_000; i++) {
                final long p = ring.tryClaim();
                final int which = i % 3;
                final long value = which == 0 ? DecimalCoding.decode(25_000 - i, 4)
                    : which == 1 ? Double.doubleToRawLongBits(Math.sin(i)) : Double.doubleToRawLongBits(i);
                ring.commit(p, (which == 0 ? a : which == 1 ? b : c).id, i, i, value);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            writer.write(ring, ring.head(), ring.tail(), true, journal, catalog);
            if (batch >= 1_100 && threads.getCurrentThreadAllocatedBytes() != before) {
                allocating++; // after the catalog's extents lists last doubled (at 1,024 runs)
            }
            ring.advanceHead(ring.tail());
        }
        // Chronicle allocates now and then (a new block of the queue file); a writer that allocated
        // would do so in every batch
        assertTrue(allocating < 90, allocating + " of 900 batches allocated");
        assertEquals("DECIMAL 4", RunCoding.of(catalog.extents(a.id), 1_500), "a's runs are DECIMAL, e = 4");
        assertEquals("DECIMAL 0", RunCoding.of(catalog.extents(c.id), 1_500), "c's runs are DECIMAL, e = 0");
    }

    // ------------------------------------------------------------------ fixture

    private Series define(final String name) {
        final int id = catalog.metricCount();
        final RecordEncoder encoder = new RecordEncoder(journal.maxRecordLength());
        ColdRecords.metricDefined(encoder, id, name);
        journal.append(encoder);
        catalog.defineMetric(id, name);
        final Series s = new Series(name, id);
        series.add(s);
        return s;
    }

    /** Commits every point logged since the last drain, in log order, and writes them as one batch. */
    private void drain() {
        final List<long[]> pending = new ArrayList<>();
        for (final Series s : series) {
            for (int i = s.drained; i < s.bits.size(); i++) {
                pending.add(new long[]{s.order.getLong(i), s.id, i, s.bits.getLong(i)});
            }
            s.drained = s.bits.size();
        }
        pending.sort((x, y) -> Long.compare(x[0], y[0]));
        for (final long[] p : pending) {
            final long position = ring.tryClaim();
            ring.commit(position, (int) p[1], p[2], 1_700_000_000_000L + p[2] * 7, p[3]);
        }
        final long from = ring.head();
        final long end = ring.tail();
        assertEquals(pending.size(), writer.write(ring, from, end, true, journal, catalog));
        ring.advanceHead(end);
    }

    /** Closes and reopens the journal, rebuilds the catalog from it and checks every series again. */
    private void reopenAndCheck(final String what) {
        journal.close();
        journal = Journal.open(dir.resolve("journal"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
        final ExperimentCatalog rebuilt = new ExperimentCatalog();
        CatalogRebuild.scan(journal, rebuilt, new ThrottleBook());
        for (final Series s : series) {
            final MetricExtents before = catalog.extents(s.id);
            final MetricExtents after = rebuilt.extents(s.id);
            assertEquals(before.size(), after.size(), what);
            for (int i = 0; i < before.size(); i++) {
                assertEquals(RunCoding.of(before, i), RunCoding.of(after, i), what);
                assertEquals(before.valueBytes(i), after.valueBytes(i), what);
                assertEquals(before.runOffset(i), after.runOffset(i), what);
            }
            s.check(rebuilt, journal, what + " after reopening");
        }
        catalog = rebuilt;
    }

    private int order;

    /** A metric's expected points: step i, value bits, and the global order they were logged in. */
    private final class Series {
        final String name;
        final int id;
        final LongArrayList bits = new LongArrayList();
        final LongArrayList order = new LongArrayList();
        int drained;

        Series(final String name, final int id) {
            this.name = name;
            this.id = id;
        }

        void log(final long valueBits) {
            bits.addLong(valueBits);
            order.addLong(PointBatchWriterTest.this.order++);
        }

        void check(final ExperimentCatalog catalog, final Journal journal, final String what) {
            final MetricSeries s = new MetricReader(journal).read(name, catalog.extents(id), 0);
            assertEquals(bits.size(), s.size(), what);
            for (int i = 0; i < bits.size(); i++) {
                if (s.valueBits(i) != bits.getLong(i) || s.step(i) != i || s.timestamp(i) != 1_700_000_000_000L + i * 7L) {
                    fail(name + " point " + i + " differs (" + what + "): bits " + Long.toHexString(s.valueBits(i))
                        + " vs " + Long.toHexString(bits.getLong(i)));
                }
            }
        }

        /** Every run's value column is at most as long as the same values XOR-coded. */
        void checkNeverWorseThanXor(final ExperimentCatalog catalog, final String what) {
            final MetricExtents x = catalog.extents(id);
            int at = 0;
            for (int r = 0; r < x.size(); r++) {
                int xor = 0;
                long previous = 0;
                for (int i = at; i < at + x.runCount(r); i++) {
                    xor += XorCoding.length(bits.getLong(i) ^ previous);
                    previous = bits.getLong(i);
                }
                if (x.valueMode(r) == ValueMode.JOURNAL_XOR) {
                    assertEquals(xor, x.valueBytes(r), name + " run " + r + " (" + what + ")");
                } else {
                    assertTrue(x.valueBytes(r) < xor, name + " run " + r + ": DECIMAL or BITS " + x.valueBytes(r)
                        + " bytes, XOR would take " + xor + " (" + what + ")");
                }
                at += x.runCount(r);
            }
        }

        void checkAtMostNineBytesAValue(final ExperimentCatalog catalog, final String what) {
            final MetricExtents x = catalog.extents(id);
            for (int r = 0; r < x.size(); r++) {
                assertTrue(x.valueBytes(r) <= XorCoding.MAX_LENGTH * x.runCount(r), name + " run " + r + ": "
                    + x.valueBytes(r) + " value bytes for " + x.runCount(r) + " values (" + what + ")");
            }
        }

        /**
         * Predicting: a run of 64 or more points sets its metric's prediction, so no run of the
         * decimal curve is XOR once one such run was weighed DECIMAL.
         */
        void checkRunsOfSixtyFourOrMoreAreDecimal(final ExperimentCatalog catalog, final String what) {
            final MetricExtents x = catalog.extents(id);
            for (int r = 0; r < x.size(); r++) {
                if (x.runCount(r) >= PointBatchWriter.MIN_PREDICTING_RUN) {
                    assertNotEquals("XOR", RunCoding.of(x, r), name + " run " + r + " (" + what + ")");
                }
            }
        }

        /** (A lone value can be as short XOR-coded, 2.0625 for one: a tie, which goes to XOR.) */
        void checkRunsOfTwoOrMoreAreDecimal(final ExperimentCatalog catalog, final String what) {
            final MetricExtents x = catalog.extents(id);
            assertTrue(x.size() > 100, what);
            for (int r = 0; r < x.size(); r++) {
                if (x.runCount(r) >= 2) {
                    assertNotEquals("XOR", RunCoding.of(x, r), name + " run " + r + " (" + what + ")");
                }
            }
        }

        void checkRunsWithASpecialAreXor(final ExperimentCatalog catalog, final String what) {
            final MetricExtents x = catalog.extents(id);
            int at = 0;
            int xorRuns = 0;
            for (int r = 0; r < x.size(); r++) {
                boolean special = false;
                for (int i = at; i < at + x.runCount(r); i++) {
                    special |= DecimalCoding.exponent(bits.getLong(i), 0) < 0;
                }
                if (special) {
                    assertNotEquals(ValueMode.JOURNAL_DECIMAL, x.valueMode(r), name + " run " + r + " is not DECIMAL, but XOR or BITS (" + what + ")");
                    xorRuns++;
                }
                at += x.runCount(r);
            }
            assertTrue(xorRuns > 10, "runs with a special value: " + xorRuns + " (" + what + ")");
        }
    }
}
