package io.runlog.store;

import io.runlog.MetricSeries;
import io.runlog.StoreOptions;
import io.runlog.codec.DecimalCoding;
import io.runlog.codec.ValueMode;
import io.runlog.testing.TestSeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The format 6 drain ({@link FramedBatchWriter}): every kind of value round-trips bit for bit
 * through frame-packed columns, before and after the catalog is rebuilt from the journal; the
 * codings are FRAMES and DOUBLE_COLUMN; a batch whose frame-packed record would not fit the
 * record limit is written with varint columns instead; a steady drain allocates nothing.
 */
class FramedBatchWriterTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long[] SPECIALS = {
        Double.doubleToRawLongBits(Double.NaN), 0x7ff0000000000001L, Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.MIN_VALUE), 1L,
    };

    @TempDir
    Path dir;

    private Journal journal;
    private PointRing ring;
    private ExperimentCatalog catalog;
    private final FramedBatchWriter writer = new FramedBatchWriter();
    private final List<List<long[]>> expected = new ArrayList<>();

    @BeforeEach
    void open() {
        openJournal(StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE);
    }

    private void openJournal(final long blockSize) {
        journal = Journal.open(dir.resolve("journal"), blockSize);
        ring = PointRing.create(dir.resolve("points.ring"), FileSystemFacade.DEFAULT,
            new DiskSpaceGuard(FileSystemFacade.DEFAULT, dir, 0), 8192, 0);
        catalog = new ExperimentCatalog();
    }

    @AfterEach
    void close() {
        ring.unmap();
        journal.close();
    }

    @Test
    void shouldRoundTripEveryKindOfValueBitExactlyInFramePackedColumns() {
        final long seed = TestSeed.of("FramedBatchWriterTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final int metrics = 6;
        for (int m = 0; m < metrics; m++) {
            define("m" + m);
        }
        final long[] step = new long[metrics];
        long decimalDigits = 25_000;
        for (int batch = 0; batch < 120; batch++) {
            final int n = 1 + random.nextInt(batch % 9 == 0 ? 4000 : 400);
            final List<long[]> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final int m = random.nextInt(metrics);
                final long bits = switch (m) {
                    case 0 -> Double.doubleToRawLongBits(DecimalCoding.decode(decimalDigits += random.nextInt(201) - 100, 4));
                    case 1 -> random.nextLong(); // any bit pattern
                    case 2 -> Double.doubleToRawLongBits((float) (2.5 * Math.exp(-step[m] / 3e3) + 0.05 * random.nextDouble()));
                    case 3 -> Double.doubleToRawLongBits(2.5 * Math.exp(-step[m] / 2e5) + 0.05 * random.nextGaussian());
                    case 4 -> random.nextInt(10) == 0 ? SPECIALS[random.nextInt(SPECIALS.length)]
                        : Double.doubleToRawLongBits(DecimalCoding.decode(random.nextInt(1000), 2));
                    default -> random.nextInt(50) == 0 // a float32 metric that now and then is not
                        ? Double.doubleToRawLongBits(Math.PI * step[m]) : Double.doubleToRawLongBits((float) (step[m] * 0.1));
                };
                final long s = m == 1 ? random.nextLong() : step[m]++;
                final long t = m == 1 ? random.nextLong() : T0 + 7 * s + random.nextInt(3);
                points.add(new long[]{m, s, t, bits});
            }
            drain(points);
        }
        for (int m = 0; m < metrics; m++) {
            final MetricExtents x = catalog.extents(m);
            for (int r = 0; r < x.size(); r++) {
                assertEquals(ValueMode.JOURNAL_DOUBLE_COLUMN, x.valueMode(r), "seed " + seed);
                assertEquals(ColumnCoding.FRAMES, x.stepCoding(r), "seed " + seed);
                assertEquals(ColumnCoding.FRAMES, x.timestampCoding(r), "seed " + seed);
                assertTrue(x.hasRunCrc(r));
            }
        }
        checkAll(catalog, "seed " + seed);
        reopenAndCheck("seed " + seed);
        // smooth steps and timestamps pack to almost nothing: metric 0's steps 0, 1, 2, ...
        final MetricExtents decimal = catalog.extents(0);
        long stepBytes = 0;
        for (int r = 0; r < decimal.size(); r++) {
            stepBytes += decimal.stepBytes(r);
        }
        assertTrue(stepBytes * 4 < decimal.points(), stepBytes + " step bytes for " + decimal.points() + " points");
    }

    @Test
    void shouldWriteVarintColumnsWhenTheFramePackedRecordWouldNotFit() {
        close();
        openJournal(64 * 1024); // records of at most 16,320 bytes: 266 points a batch
        final int points = RingDrain.maxBatchPoints(journal.maxRecordLength());
        final SplittableRandom random = new SplittableRandom(TestSeed.of("FramedBatchWriterTest.fallback"));
        final List<long[]> batch = new ArrayList<>();
        for (int m = 0; m < points; m++) { // one point per metric, random 64-bit fields: the worst case
            define("m" + m);
            batch.add(new long[]{m, random.nextLong(), random.nextLong(), random.nextLong()});
        }
        drain(batch);
        for (int m = 0; m < points; m++) {
            final MetricExtents x = catalog.extents(m);
            assertEquals(ColumnCoding.DELTA_VARINT, x.stepCoding(0));
            assertNotEquals(ValueMode.JOURNAL_DOUBLE_COLUMN, x.valueMode(0));
            assertTrue(x.hasRunCrc(0), "the fallback writes format 6 too");
        }
        checkAll(catalog, "fallback");
        reopenAndCheck("fallback");
    }

    @Test
    void shouldAllocateNothingInASteadyDrain() {
        for (int m = 0; m < 10; m++) {
            define("m" + m);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int allocating = 0;
        long k = 0;
        for (int batch = 0; batch < 600; batch++) {
            for (int i = 0; i < 1000; i++, k++) {
                final long p = ring.tryClaim();
                ring.commit(p, (int) (k % 10), k / 10, T0 + k / 10, Double.doubleToRawLongBits(Math.sin(k * 1e-3)));
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            writer.write(ring, ring.head(), ring.tail(), true, journal, catalog);
            if (batch >= 300 && threads.getCurrentThreadAllocatedBytes() != before) {
                allocating++;
            }
            ring.advanceHead(ring.tail());
        }
        // Chronicle allocates now and then (a new block of the queue file), the catalog's extents
        // lists when they double; a writer that allocated would do so in every batch
        assertTrue(allocating < 30, allocating + " of 300 batches allocated");
    }

    /** Salvage copies records to a new journal: a batch's Directory CRC32C, bound to its sequence number, is sealed anew. */
    @Test
    void shouldSealADirectoryChecksumAnewWhenABatchIsCopiedToAnotherSequenceNumber() {
        define("m0");
        final List<long[]> points = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            points.add(new long[]{0, i, T0 + i, Double.doubleToRawLongBits(Math.sin(i * 0.01))});
        }
        drain(points);
        final List<byte[]> raw = new ArrayList<>();
        journal.rewind();
        net.openhft.chronicle.wire.DocumentContext dc;
        while ((dc = journal.next()) != null) {
            try (net.openhft.chronicle.wire.DocumentContext doc = dc) {
                raw.add(Journal.rawBytes(doc));
            }
        }
        try (Journal copy = Journal.open(dir.resolve("copy"), StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE)) {
            copy.appendCopy(raw.get(0)); // METRIC_DEFINED
            final RecordEncoder line = new RecordEncoder(copy.maxRecordLength());
            ColdRecords.output(line, new io.runlog.OutputLine(io.runlog.OutputChannel.STDOUT, "x", T0));
            copy.append(line); // so the batch lands one sequence number later than where it was read
            for (final byte[] r : raw.subList(1, raw.size())) {
                copy.appendCopy(r);
            }
            final ExperimentCatalog rebuilt = new ExperimentCatalog();
            CatalogRebuild.scan(copy, rebuilt, new ThrottleBook());
            final MetricSeries s = new MetricReader(copy).read("m0", rebuilt.extents(0), 0);
            assertEquals(500, s.size());
            assertEquals(Double.doubleToRawLongBits(Math.sin(499 * 0.01)), s.valueBits(499));
        }
    }

    // ------------------------------------------------------------------ fixture

    private void define(final String name) {
        final int id = catalog.metricCount();
        final RecordEncoder encoder = new RecordEncoder(journal.maxRecordLength());
        ColdRecords.metricDefined(encoder, id, name);
        journal.append(encoder);
        catalog.defineMetric(id, name);
        expected.add(new ArrayList<>());
    }

    /** Commits {@code points} ({metric, step, timestamp, bits}) in order and writes them as one batch. */
    private void drain(final List<long[]> points) {
        for (final long[] p : points) {
            final long position = ring.tryClaim();
            ring.commit(position, (int) p[0], p[1], p[2], p[3]);
            expected.get((int) p[0]).add(p);
        }
        final long from = ring.head();
        final long end = ring.tail();
        assertEquals(points.size(), writer.write(ring, from, end, true, journal, catalog));
        ring.advanceHead(end);
    }

    private void checkAll(final ExperimentCatalog c, final String what) {
        for (int m = 0; m < expected.size(); m++) {
            final List<long[]> points = expected.get(m);
            final MetricSeries s = new MetricReader(journal).read("m" + m, c.extents(m), 0);
            assertEquals(points.size(), s.size(), what);
            for (int i = 0; i < points.size(); i++) {
                final long[] p = points.get(i);
                if (s.step(i) != p[1] || s.timestamp(i) != p[2] || s.valueBits(i) != p[3]) {
                    fail("metric " + m + " point " + i + " differs (" + what + "): bits " + Long.toHexString(s.valueBits(i))
                        + " vs " + Long.toHexString(p[3]));
                }
            }
        }
    }

    private void reopenAndCheck(final String what) {
        final long block = journal.maxRecordLength() > 20_000 ? StoreOptions.DEFAULT_JOURNAL_BLOCK_SIZE : 64 * 1024;
        journal.close();
        journal = Journal.open(dir.resolve("journal"), block);
        final ExperimentCatalog rebuilt = new ExperimentCatalog();
        CatalogRebuild.scan(journal, rebuilt, new ThrottleBook());
        checkAll(rebuilt, what + " after reopening");
    }
}
