package io.runlog.store;

import io.runlog.CorruptStoreException;
import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Item payloads are checked against the SHA-256 that names them and the length their ITEM record
 * gives, whether read whole or streamed: a flipped bit, a cut, a longer file or a deleted file is a
 * {@link CorruptStoreException} naming the blob file, never damaged bytes handed out as good.
 */
class PayloadVerificationTest {
    @TempDir
    Path dir;

    private final byte[] payload = new byte[300_000];

    @BeforeEach
    void fill() {
        new Random(7).nextBytes(payload);
    }

    private RunlogStore open() {
        return RunlogStore.open(dir.resolve("store"), new StoreOptions().diskReserveBytes(0));
    }

    private Item logged() {
        try (RunlogStore store = open();
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            return e.logItem(ItemType.MODEL, "m", Map.of(), payload);
        }
    }

    private interface Damage {
        void apply(Path blob) throws IOException;
    }

    /** Damages the blob of a closed store, reopens it and hands the experiment and item to {@code check}. */
    private void withDamaged(final Damage damage, final java.util.function.BiConsumer<Experiment, Item> check) throws IOException {
        final Item item = logged();
        try (RunlogStore store = open(); Experiment e = store.project("p").openExperiment("e")) {
            damage.apply(e.payloadPath(item));
            check.accept(e, e.items().get(0));
        }
    }

    private static byte[] readAll(final InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void flipBit(final Path blob) throws IOException {
        final byte[] b = Files.readAllBytes(blob);
        b[123_456] ^= 0x10;
        Files.write(blob, b);
    }

    @Test
    void shouldReturnAnIntactPayloadWholeAndStreamed() throws IOException {
        withDamaged(blob -> { }, (e, item) -> {
            assertArrayEquals(payload, e.readPayload(item));
            assertArrayEquals(payload, readAll(e.openPayload(item)));
        });
    }

    @Test
    void shouldRefuseAWholeReadOfAPayloadWithAFlippedBit() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, () -> e.readPayload(item));
            assertTrue(x.getMessage().contains(item.sha256()) && x.getMessage().contains("damaged"), x.getMessage());
        });
    }

    @Test
    void shouldRefuseAStreamedPayloadWithAFlippedBitWhenItReachesTheEnd() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, () -> readAll(e.openPayload(item)));
            assertTrue(x.getMessage().contains(e.payloadPath(item).toString()), x.getMessage());
            assertTrue(x.getMessage().contains("SHA-256"), x.getMessage());
        });
    }

    @Test
    void shouldStreamInChunksWithoutBufferingAndVerifyAtTheEnd() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            try (InputStream in = e.openPayload(item)) {
                final byte[] chunk = new byte[4096];
                long seen = 0;
                // every byte before the end is handed out as read: the stream does not buffer the payload
                while (seen < payload.length) {
                    final int n = in.read(chunk, 0, (int) Math.min(chunk.length, payload.length - seen));
                    assertTrue(n > 0);
                    seen += n;
                }
                assertThrows(CorruptStoreException.class, in::read);
            } catch (final IOException x) {
                throw new AssertionError(x);
            }
        });
    }

    @Test
    void shouldNotTellAReaderThatStopsEarly() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            try (InputStream in = e.openPayload(item)) {
                final byte[] first = in.readNBytes(1000); // the documented limit: only the end is checked
                assertArrayEquals(Arrays.copyOf(payload, 1000), first);
            } catch (final IOException x) {
                throw new AssertionError(x);
            }
        });
    }

    @Test
    void shouldRefuseATruncatedPayloadNamingTheOffsetWhereItEnds() throws IOException {
        withDamaged(blob -> Files.write(blob, Arrays.copyOf(payload, 100_000)), (e, item) -> {
            final CorruptStoreException streamed = assertThrows(CorruptStoreException.class, () -> readAll(e.openPayload(item)));
            assertTrue(streamed.getMessage().contains("ends at offset 100000"), streamed.getMessage());
            final CorruptStoreException whole = assertThrows(CorruptStoreException.class, () -> e.readPayload(item));
            assertTrue(whole.getMessage().contains("100000 bytes"), whole.getMessage());
        });
    }

    @Test
    void shouldRefuseAPayloadWithJunkAppended() throws IOException {
        withDamaged(blob -> Files.write(blob, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND), (e, item) -> {
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, () -> readAll(e.openPayload(item)));
            assertTrue(x.getMessage().contains("goes on past offset 300000"), x.getMessage());
        });
    }

    @Test
    void shouldRefuseADeletedPayloadAsMissing() throws IOException {
        withDamaged(Files::delete, (e, item) -> {
            final CorruptStoreException whole = assertThrows(CorruptStoreException.class, () -> e.readPayload(item));
            assertTrue(whole.getMessage().contains("missing"), whole.getMessage());
            final CorruptStoreException streamed = assertThrows(CorruptStoreException.class, () -> e.openPayload(item));
            assertTrue(streamed.getMessage().contains(item.sha256()), streamed.getMessage());
        });
    }

    @Test
    void shouldRefuseToExportAnExperimentWithADamagedPayload() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            final Path archive = dir.resolve("out.rlar");
            final CorruptStoreException x = assertThrows(CorruptStoreException.class, () -> e.export(archive));
            assertTrue(x.getMessage().contains(item.sha256()), x.getMessage());
            assertFalse(Files.exists(archive), "no archive of damaged data is left behind");
        });
    }

    @Test
    void shouldRefuseToShipAnIncrementWithADamagedPayload() throws IOException {
        withDamaged(PayloadVerificationTest::flipBit, (e, item) -> {
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            final CorruptStoreException x = assertThrows(CorruptStoreException.class,
                () -> e.exportIncrement(out, io.runlog.HighWaterMark.EMPTY, new io.runlog.IncrementOptions()));
            assertTrue(x.getMessage().contains(item.sha256()), x.getMessage());
        });
    }
}
