package io.runlog.archive;

import io.runlog.testing.TestSeed;
import io.runlog.ArchiveFormatException;
import io.runlog.Item;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A seeded mutation fuzzer for the archive reader (jazzer is not available offline): valid
 * archives are mutated (bit flips, interesting bytes, insertions, deletions, copies,
 * truncations), half of them with every checksum repaired so that the damage reaches the payload
 * decoders, and random byte strings with a valid file header are tried too. Each input must read
 * cleanly or fail with {@link ArchiveFormatException}: any other exception, a read allocating
 * more than a bound proportional to the file (a hostile length driving an allocation), or a hang
 * fails the test. Failing inputs are written to {@code target/archive-fuzz-findings/}; once fixed
 * they belong in {@code src/test/resources/archive/fuzz/}, which {@link #shouldRejectEveryKeptFinding}
 * replays on every build. The seed is printed; fix it with -Drunlog.test.seed=N, and raise the
 * iterations with -Drunlog.fuzz.iterations=N.
 */
class ArchiveFuzzTest {
    private static final long FIXED_ALLOWANCE = 32L << 20;

    @TempDir
    Path dir;

    private List<byte[]> seeds() throws IOException {
        final List<byte[]> seeds = new ArrayList<>();
        try (RunlogStore store = ArchiveFixtures.open(dir.resolve("store"))) {
            ArchiveFixtures.fill(store, 300, 0);
            final Path a = dir.resolve("a.rla");
            store.exportExperiment("llm", "run", a);
            seeds.add(Files.readAllBytes(a));
            try (var e = store.projectOrCreate("em", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("x")) {
                final MetricHandle m = e.metric("m");
                final SplittableRandom r = new SplittableRandom(3);
                for (int i = 0; i < 200; i++) {
                    m.log(i, i, r.nextDouble());
                }
                e.metric("same").log(0, 0, 1.5);
                final Path b = dir.resolve("b.rla");
                e.export(b);
                seeds.add(Files.readAllBytes(b));
            }
        }
        return seeds;
    }

    @Test
    void shouldFailOnlyWithTheTypedErrorOnMutatedAndRandomArchives() throws IOException {
        final List<byte[]> seeds = seeds();
        final long seed = TestSeed.of("ArchiveFuzzTest");
        final int iterations = Integer.getInteger("runlog.fuzz.iterations", 3000);
        System.out.println("ArchiveFuzzTest seed=" + seed + " iterations=" + iterations);
        final SplittableRandom r = new SplittableRandom(seed);
        final Path file = dir.resolve("input.rla");
        final int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < iterations; i++) {
                byte[] input;
                if (i % 10 == 9) {
                    input = new byte[16 + r.nextInt(400)];
                    r.nextBytes(input);
                    System.arraycopy(seeds.get(0), 0, input, 0, 16);
                } else {
                    input = ArchiveMutator.mutate(seeds.get(r.nextInt(seeds.size())), r);
                    if (r.nextBoolean()) {
                        input = ArchiveMutator.repairChecksums(input);
                    }
                }
                outcomes[readOne(file, input, "iteration " + i + " of seed " + seed) ? 0 : 1]++;
            }
        }, "the reader hung (seed " + seed + ")");
        System.out.println("ArchiveFuzzTest: " + outcomes[0] + " inputs read cleanly, " + outcomes[1] + " rejected");
        assertTrue(outcomes[1] > iterations / 2);
    }

    /** Reads one input; true if it read cleanly, false if it was rejected with the typed error. */
    private boolean readOne(final Path file, final byte[] input, final String what) throws IOException {
        Files.write(file, input);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        try (ArchiveReader reader = ArchiveReader.open(file)) {
            reader.read(new ArchiveVisitor() {
                @Override
                public void item(final Item item, final InputStream payload) {
                    try {
                        payload.readAllBytes();
                    } catch (final IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            return true;
        } catch (final ArchiveFormatException expected) {
            return false;
        } catch (final RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e + "; input kept as " + keep(input), e);
        } finally {
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated > FIXED_ALLOWANCE + 64L * input.length) {
                fail(what + ": reading " + input.length + " bytes allocated " + allocated + " bytes; input kept as "
                    + keep(input));
            }
        }
    }

    private static Path keep(final byte[] input) throws IOException {
        final Path findings = Path.of("target", "archive-fuzz-findings");
        Files.createDirectories(findings);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(input);
        final Path f = findings.resolve(HexFormat.of().toHexDigits((int) crc.getValue()) + ".rla");
        Files.write(f, input);
        return f.toAbsolutePath();
    }

    @Test
    void shouldRejectEveryKeptFinding() throws Exception {
        final Path findings = Path.of(getClass().getResource("/archive/fuzz").toURI());
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(findings, "*.rla")) {
            for (final Path f : files) {
                assertFalse(readOne(dir.resolve("finding.rla"), Files.readAllBytes(f), f.getFileName().toString()),
                    f + " was accepted");
                n++;
            }
        }
        assertTrue(n > 0, "no regression inputs in " + findings);
    }
}
