package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.MetricSeries;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.*;

/**
 * The recovery side of {@link PointBatchWriter} ({@code allCommitted = false}): positions that were
 * claimed but never committed and committed slots naming an undefined metric are skipped alike by
 * both passes (the run sizing and the coding), counted once, and the batch that remains decodes bit
 * for bit, DECIMAL and XOR runs alike, from the live catalog and from one rebuilt from the journal.
 */
class PointBatchWriterRecoveryTest extends DrainFixture {
    PointBatchWriterRecoveryTest() {
        super(1024);
    }

    @Test
    void shouldSkipUncommittedAndUndefinedSlotsInBothPassesAndCountThemOnce() {
        final int decimal = define("decimal");
        final int xor = define("xor");
        final long[] decimalValues = new long[40];
        final long[] xorValues = new long[40];
        int d = 0;
        int x = 0;
        int damaged = 0;
        final long from = ring.tail();
        for (int i = 0; i < 200; i++) {
            final long p = ring.tryClaim();
            switch (i % 5) {
                case 0 -> { // DECIMAL: 3 decimals, the exponent raised from 1 to 3 on the way
                    final double v = (i % 3 == 0) ? 2.5 + d / 10.0 : 2.5 + d / 1000.0;
                    decimalValues[d] = Double.doubleToRawLongBits(v);
                    ring.commit(p, decimal, d, 1_000L + d, decimalValues[d]);
                    d++;
                }
                case 1 -> { } // claimed, never committed (a writer killed mid-call)
                case 2 -> {
                    xorValues[x] = Double.doubleToRawLongBits(Math.sin(x));
                    ring.commit(p, xor, x, 2_000L + x, xorValues[x]);
                    x++;
                }
                case 3 -> { // damaged: committed tag, metric id out of range
                    ring.commit(p, i % 2 == 0 ? 7 : -1, 123, 456, 789);
                    damaged++;
                }
                default -> { // not committed, but holds a previous point's bytes (a valid id)
                }
            }
        }
        final long end = ring.tail();
        final int written = writer.write(ring, from, end, false, journal, catalog);
        assertEquals(d + x, written);
        assertEquals(damaged, writer.skippedPoints(), "each damaged slot counted once");
        assertEquals("DECIMAL 3", RunCoding.of(catalog.extents(decimal), 0), "the DECIMAL run settles at e = 3");
        assertEquals("XOR", RunCoding.of(catalog.extents(xor), 0));
        check(catalog, "decimal", decimal, decimalValues, d, 1_000L);
        check(catalog, "xor", xor, xorValues, x, 2_000L);

        // a second batch: no state left over from the first (runs restart from 0)
        final long from2 = ring.tail();
        final long p = ring.tryClaim();
        ring.commit(p, decimal, d, 1_000L + d, Double.doubleToRawLongBits(7.25));
        assertEquals(1, writer.write(ring, from2, ring.tail(), false, journal, catalog));
        assertEquals(damaged, writer.skippedPoints());
        assertEquals("DECIMAL 2", RunCoding.of(catalog.extents(decimal), 1));

        journal.close();
        journal = Journal.open(dir.resolve("journal"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
        final ExperimentCatalog rebuilt = new ExperimentCatalog();
        CatalogRebuild.scan(journal, rebuilt, new ThrottleBook());
        check(rebuilt, "decimal", decimal, decimalValues, d, 1_000L);
        check(rebuilt, "xor", xor, xorValues, x, 2_000L);
        assertEquals(end, rebuilt.ringEndPosition() - 1, "high-water mark is the second batch's end");
    }

    @Test
    void shouldSkipUncommittedAndUndefinedSlotsInFloat32AndBitsRuns() {
        final int f32 = define("f32");
        final int bits = define("bits");
        final long[] floatValues = new long[75];
        final long[] bitsValues = new long[75];
        int f = 0;
        int b = 0;
        final long from = ring.tail();
        final long notFloat = Double.doubleToRawLongBits(0.1); // would make the f32 run XOR if a pass took it
        for (int i = 0; i < 300; i++) {
            final long p = ring.tryClaim();
            switch (i % 4) {
                case 0 -> {
                    floatValues[f] = Double.doubleToRawLongBits((float) (2.5 * Math.exp(-f / 100.0)));
                    ring.commit(p, f32, f, 1_000L + f, floatValues[f]);
                    f++;
                }
                case 1 -> {
                    bitsValues[b] = Double.doubleToRawLongBits(b * 1e-3);
                    ring.commit(p, bits, b, 2_000L + b, bitsValues[b]);
                    b++;
                }
                case 2 -> { // claimed, never committed, but its slot holds a valid id and a double
                    final long slot = ring.slotAddress(p);
                    org.agrona.UnsafeApi.putLong(slot + PointRingLayout.VALUE_OFFSET, notFloat);
                    org.agrona.UnsafeApi.putInt(slot + PointRingLayout.METRIC_ID_OFFSET, f32);
                    assertFalse(ring.isCommitted(p));
                }
                default -> ring.commit(p, 9, 123, 456, notFloat); // damaged: committed tag, undefined metric
            }
        }
        assertEquals(f + b, writer.write(ring, from, ring.tail(), false, journal, catalog));
        assertEquals("FLOAT32", RunCoding.of(catalog.extents(f32), 0));
        assertEquals("BITS", RunCoding.of(catalog.extents(bits), 0));
        check(catalog, "f32", f32, floatValues, f, 1_000L);
        check(catalog, "bits", bits, bitsValues, b, 2_000L);

        journal.close();
        journal = Journal.open(dir.resolve("journal"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
        final ExperimentCatalog rebuilt = new ExperimentCatalog();
        CatalogRebuild.scan(journal, rebuilt, new ThrottleBook());
        assertEquals("FLOAT32", RunCoding.of(rebuilt.extents(f32), 0));
        check(rebuilt, "f32", f32, floatValues, f, 1_000L);
        check(rebuilt, "bits", bits, bitsValues, b, 2_000L);
    }

    /**
     * Batches none of whose runs is weighed (every metric predicted) take the split coding path:
     * steps and timestamps in the ring pass, the predicted modes' work in a second pass over the
     * kept values. Skipped slots (uncommitted with a valid id and a value that would break the
     * prediction, damaged ids) must be skipped there alike, and a prediction failing inside such
     * a batch must fall back to XOR with only its own points.
     */
    @Test
    void shouldSkipUncommittedAndUndefinedSlotsInABatchWhoseRunsAreAllPredicted() {
        final int dec = define("dec");
        final int xor = define("xor");
        final int bits = define("bits");
        final int f32 = define("f32");
        final int[] ids = {dec, xor, bits, f32};
        final long[][] values = new long[4][400];
        final int[] counts = new int[4];
        final java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        final long notFloatNorDecimal = Double.doubleToRawLongBits(Double.NaN) ^ 1L; // a NaN payload: no decimal, no float32
        int damaged = 0;
        for (int batch = 0; batch < 3; batch++) {
            final long from = ring.tail();
            for (int i = 0; i < 100; i++) {
                for (int m = 0; m < 4; m++) {
                    final int n = counts[m];
                    final boolean odd = batch == 2 && i == 50 && (m == 0 || m == 3); // predictions failing
                    final long v = switch (m) {
                        case 0 -> odd ? Double.doubleToRawLongBits(Double.NaN) : DecimalCoding.decode(25_000 + n, 4);
                        case 1 -> random.nextLong();
                        case 2 -> Double.doubleToRawLongBits((n + 1) * 1e-3);
                        default -> Double.doubleToRawLongBits(odd ? 0.1 : (float) (2.5 * Math.exp(-n / 100.0)));
                    };
                    values[m][n] = v;
                    ring.commit(ring.tryClaim(), ids[m], n, 1_000L * (m + 1) + n, v);
                    counts[m]++;
                }
                if (i % 7 == 3) { // claimed, never committed, holding a valid id and a value no prediction fits
                    final long p = ring.tryClaim();
                    final long slot = ring.slotAddress(p);
                    org.agrona.UnsafeApi.putLong(slot + PointRingLayout.VALUE_OFFSET, notFloatNorDecimal);
                    org.agrona.UnsafeApi.putInt(slot + PointRingLayout.METRIC_ID_OFFSET, ids[i % 4]);
                    assertFalse(ring.isCommitted(p));
                }
                if (i % 11 == 5) { // damaged: committed tag, undefined metric
                    ring.commit(ring.tryClaim(), i % 2 == 0 ? 99 : -3, 1, 2, notFloatNorDecimal);
                    damaged++;
                }
            }
            final long end = ring.tail();
            assertEquals(400, writer.write(ring, from, end, false, journal, catalog), "batch " + batch);
            ring.advanceHead(end);
            assertEquals(damaged, writer.skippedPoints(), "batch " + batch);
        }
        final String[][] expected = { // per metric, per batch: weighed, predicted, predicted (dec and f32 failing)
            {"DECIMAL 4", "DECIMAL 4", "XOR"},
            {"XOR", "XOR", "XOR"},
            {"BITS", "BITS", "BITS"},
            {"FLOAT32", "FLOAT32", "XOR"},
        };
        final String[] names = {"dec", "xor", "bits", "f32"};
        for (int m = 0; m < 4; m++) {
            for (int run = 0; run < 3; run++) {
                assertEquals(expected[m][run], RunCoding.of(catalog.extents(ids[m]), run), names[m] + " run " + run);
            }
            check(catalog, names[m], ids[m], values[m], counts[m], 1_000L * (m + 1));
        }
        journal.close();
        journal = Journal.open(dir.resolve("journal"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
        final ExperimentCatalog rebuilt = new ExperimentCatalog();
        CatalogRebuild.scan(journal, rebuilt, new ThrottleBook());
        for (int m = 0; m < 4; m++) {
            check(rebuilt, names[m], ids[m], values[m], counts[m], 1_000L * (m + 1));
        }
    }

    private void check(final ExperimentCatalog c, final String name, final int id, final long[] bits, final int n,
                       final long timestampBase) {
        final MetricSeries s = new MetricReader(journal).read(name, c.extents(id), 0);
        assertTrue(s.size() >= n, name);
        for (int i = 0; i < n; i++) {
            assertEquals(bits[i], s.valueBits(i), name + " point " + i);
            assertEquals(i, s.step(i), name + " point " + i);
            assertEquals(timestampBase + i, s.timestamp(i), name + " point " + i);
        }
    }

    private int define(final String name) {
        final int id = catalog.metricCount();
        final RecordEncoder encoder = new RecordEncoder(journal.maxRecordLength());
        ColdRecords.metricDefined(encoder, id, name);
        journal.append(encoder);
        catalog.defineMetric(id, name);
        return id;
    }
}
