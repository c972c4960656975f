package io.runlog;

import org.agrona.concurrent.EpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class StoreRoundTripTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final EpochClock clock = now::get;

    private RunlogStore open() {
        return RunlogStore.open(dir.resolve("store"), new StoreOptions().clock(clock).diskReserveBytes(0));
    }

    @Test
    void shouldReadBackEveryDataTypeAfterReopen() {
        try (RunlogStore store = open()) {
            final Project p = store.createProject("vision", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment e = p.createExperiment("run-1")) {
                final MetricHandle loss = e.metric("loss");
                loss.log(0, 2.5);
                now.addAndGet(10);
                loss.log(1, 1.25);
                loss.log(5, 99L, 0.5);
                e.log("acc", 0, 0.1);
                e.logParameter("lr", 0.001);
                e.logParameter("lr", 0.0005);
                e.logParameter("optimizer", "adam");
                e.logParameter("epochs", 10L);
                e.logParameter("amp", true);
                e.logOutput(OutputChannel.STDOUT, "epoch 1 done");
                e.logOutput(OutputChannel.STDERR, "warning: ünïcödé ✓ 🚀");
                e.logItem(ItemType.IMAGE, "sample.png", Map.of("step", "1"), "png-bytes".getBytes(StandardCharsets.UTF_8));
            }
        }
        try (RunlogStore store = open()) {
            assertEquals(List.of("vision"), store.projects().stream().map(Project::name).toList());
            final Project p = store.project("vision");
            assertEquals(List.of("run-1"), p.experimentKeys());
            try (Experiment e = p.openExperiment("run-1")) {
                assertEquals(List.of(new MetricInfo("loss", 3), new MetricInfo("acc", 1)), e.metrics());
                final MetricSeries loss = e.readMetric("loss");
                assertEquals(3, loss.size());
                assertEquals(0, loss.step(0));
                assertEquals(1_700_000_000_000L, loss.timestamp(0));
                assertEquals(2.5, loss.value(0));
                assertEquals(1_700_000_000_010L, loss.timestamp(1));
                assertEquals(5, loss.step(2));
                assertEquals(99L, loss.timestamp(2));
                assertEquals(0.5, loss.value(2));
                assertEquals(0.0005, e.parameters().get("lr").doubleValue());
                assertEquals(2, e.parameterHistory("lr").size());
                assertEquals("adam", e.parameters().get("optimizer").text());
                assertEquals(10L, e.parameters().get("epochs").longValue());
                assertTrue(e.parameters().get("amp").booleanValue());
                final List<OutputLine> out = e.outputLines();
                assertEquals(2, out.size());
                assertEquals("warning: ünïcödé ✓ 🚀", out.get(1).text());
                assertEquals(OutputChannel.STDERR, out.get(1).channel());
                final Item item = e.items().get(0);
                assertEquals("sample.png", item.name());
                assertEquals(Map.of("step", "1"), item.metadata());
                assertEquals("png-bytes", new String(e.readPayload(item), StandardCharsets.UTF_8));
                assertEquals(0, e.recoveredPoints());
            }
        }
    }

    @Test
    void shouldStreamALargePayloadIntoAContentAddressedBlobOutsideTheJournal() throws Exception {
        final Path payload = dir.resolve("model.bin");
        final byte[] chunk = new byte[1 << 20];
        new java.util.Random(7).nextBytes(chunk);
        final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(payload)) {
            for (int i = 0; i < 64; i++) { // 64 MiB, far beyond the journal's record limit
                chunk[0] = (byte) i;
                out.write(chunk);
                sha.update(chunk);
            }
        }
        try (RunlogStore store = open();
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final Item model = e.logItem(ItemType.MODEL, "model", Map.of("framework", "torch"), payload);
            final Item again = e.logItem(ItemType.MODEL, "model-copy", Map.of(), payload);
            assertEquals(64L << 20, model.payloadLength());
            assertEquals(java.util.HexFormat.of().formatHex(sha.digest()), model.sha256());
            assertEquals(model.sha256(), again.sha256());
            final Path blob = e.payloadPath(model);
            assertEquals(blob.getFileName().toString(), model.sha256());
            assertEquals(-1L, java.nio.file.Files.mismatch(blob, payload));
            try (java.util.stream.Stream<Path> blobs = java.nio.file.Files.list(blob.getParent())) {
                assertEquals(1, blobs.count(), "equal payloads are stored once, no temporary file is left");
            }
            assertEquals(2, e.itemCount(ItemType.MODEL));
        }
    }

    @Test
    void shouldReportAPayloadFileWhoseSizeNoLongerMatchesItsRecord() throws Exception {
        try (RunlogStore store = open();
             Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final Item item = e.logItem(ItemType.ASSET, "a", Map.of(), new byte[]{1, 2, 3});
            java.nio.file.Files.write(e.payloadPath(item), new byte[1 << 20]);
            final CorruptStoreException ex = assertThrows(CorruptStoreException.class, () -> e.readPayload(item));
            assertTrue(ex.getMessage().contains("1048576 bytes, its item record says 3"), ex.getMessage());
        }
    }
}
