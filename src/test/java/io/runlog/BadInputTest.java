package io.runlog;

import io.runlog.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input gets a typed error naming the problem, and leaves stored data as it was. */
class BadInputTest {
    @TempDir
    Path dir;

    private RunlogStore open() {
        return RunlogStore.open(dir.resolve("store"), new StoreOptions().diskReserveBytes(0));
    }

    @Test
    void shouldRejectBadMetricNamesWithTypedErrorsAndKeepData() {
        try (RunlogStore store = open(); Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT)
            .createExperiment("e")) {
            e.metric("ok").log(1, 1.0);
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric(null)), "null");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("")), "empty");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("x".repeat(251))), "251");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("a\nb")), "U+000A");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("bad\u0000")), "U+0000");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("lone\uD800")), "lone surrogate");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.metric("\uDC00x")), "lone surrogate");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.log("\u0007", 1, 2.0)), "U+0007");
            assertMessage(assertThrows(InvalidNameException.class, () -> e.logParameter("", "v")), "empty");
            assertMessage(assertThrows(InvalidValueException.class, () -> e.logParameter("p", "x\uD834")), "lone surrogate");
            assertMessage(assertThrows(InvalidValueException.class, () -> e.logParameter("p", (String) null)), "null");
            assertMessage(assertThrows(InvalidValueException.class, () -> e.logOutput(null, "x")), "channel");
            assertMessage(assertThrows(InvalidValueException.class, () -> e.logItem(ItemType.IMAGE, "i", Map.of(), (byte[]) null)),
                "null");
            assertThrows(InvalidNameException.class, () -> e.logItem(ItemType.IMAGE, "i", Map.of("k\t", "v"), new byte[1]));
            // a surrogate pair (an emoji) is fine
            e.metric("loss 🚀").log(1, 2.0);
            assertEquals(2, e.metrics().size());
            assertEquals(1, e.readMetric("ok").size());
            assertTrue(e.parameters().isEmpty());
            assertTrue(e.items().isEmpty());
        }
    }

    @Test
    void shouldRejectKeysThatCouldEscapeTheStoreDirectory() {
        try (RunlogStore store = open()) {
            for (final String bad : new String[]{"..", "../x", "a/b", ".hidden", "a b", "-x", "x\\y", "ü"}) {
                assertThrows(InvalidNameException.class, () -> store.createProject(bad, ProjectKind.LLM), bad);
            }
            final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            assertThrows(InvalidNameException.class, () -> p.createExperiment("../../etc"));
            assertThrows(InvalidNameException.class, () -> p.createExperiment("k".repeat(129)));
            assertTrue(p.experimentKeys().isEmpty());
        }
    }

    @Test
    void shouldReportMissingAndDuplicateProjectsAndExperiments() {
        try (RunlogStore store = open()) {
            assertMessage(assertThrows(NotFoundException.class, () -> store.project("nope")), "nope");
            final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
            assertThrows(AlreadyExistsException.class, () -> store.createProject("p", ProjectKind.LLM));
            p.createExperiment("e").close();
            assertThrows(AlreadyExistsException.class, () -> p.createExperiment("e"));
            assertMessage(assertThrows(NotFoundException.class, () -> p.openExperiment("other")), "other");
            try (Experiment e = p.openExperiment("e")) {
                assertMessage(assertThrows(NotFoundException.class, () -> e.readMetric("missing")), "missing");
            }
        }
    }

    @Test
    void shouldRejectPromptsOutsideLlmProjects() {
        try (RunlogStore store = open()) {
            try (Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
                assertMessage(assertThrows(InvalidValueException.class, () -> e.logPrompt("hi", "there", Map.of())), "LLM");
                assertTrue(e.prompts().isEmpty());
            }
            try (Experiment e = store.createProject("chat", ProjectKind.LLM).createExperiment("e")) {
                e.logPrompt("hi", null, Map.of("model", "m1"));
                assertEquals("", e.prompts().get(0).response());
                assertEquals(Map.of("model", "m1"), e.prompts().get(0).metadata());
            }
        }
    }

    @Test
    void shouldRejectRecordsLargerThanTheJournalAcceptsWithoutWritingThem() {
        try (RunlogStore store = open(); Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT)
            .createExperiment("e")) {
            final String huge = "x".repeat(300_000);
            assertMessage(assertThrows(InvalidValueException.class, () -> e.logOutput(OutputChannel.STDOUT, huge)),
                "larger than the journal's limit");
            e.logOutput(OutputChannel.STDOUT, "small");
            assertEquals(1, e.outputLines().size());
            assertEquals("small", e.outputLines().get(0).text());
        }
    }

    @Test
    void shouldThrowClosedAfterExperimentOrStoreIsClosed() {
        final RunlogStore store = open();
        final Project p = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT);
        final Experiment e = p.createExperiment("e");
        final MetricHandle h = e.metric("m");
        h.log(1, 1.0);
        e.close();
        e.close(); // idempotent
        assertThrows(ClosedException.class, () -> h.log(2, 2.0));
        assertThrows(ClosedException.class, () -> e.metric("m"));
        assertThrows(ClosedException.class, () -> e.logParameter("a", 1L));
        assertThrows(ClosedException.class, e::metrics);
        final Experiment again = p.openExperiment("e");
        final MetricHandle h2 = again.metric("m");
        store.close();
        store.close(); // idempotent
        assertThrows(ClosedException.class, () -> h2.log(3, 3.0));
        assertThrows(ClosedException.class, () -> again.readMetric("m"));
        assertThrows(ClosedException.class, () -> store.project("p"));
        try (RunlogStore reopened = open(); Experiment r = reopened.project("p").openExperiment("e")) {
            assertEquals(1, r.readMetric("m").size());
        }
    }

    @Test
    void shouldRefuseAStorePathThatIsAFile() throws Exception {
        final Path file = Files.writeString(dir.resolve("file"), "not a store");
        assertMessage(assertThrows(StoreAccessException.class, () -> RunlogStore.open(file)), "is a file");
        assertMessage(assertThrows(StoreAccessException.class, () -> RunlogStore.open(file.resolve("sub"))), "file");
        assertEquals("not a store", Files.readString(file));
    }

    @Test
    void shouldRefuseAReadOnlyStoreDirectory() {
        final FaultyFileSystem fs = new FaultyFileSystem().readOnly(true);
        final Path store = dir.resolve("ro");
        assertThrows(StoreAccessException.class, () -> RunlogStore.open(store, new StoreOptions().fileSystem(fs)));
    }

    @Test
    void shouldRefuseAReadOnlyStoreDirectoryByPermissions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
            "root ignores permissions; the injected read-only file system covers this case");
        final Path store = Files.createDirectories(dir.resolve("ro-perm"));
        store.toFile().setWritable(false);
        try {
            assertMessage(assertThrows(StoreAccessException.class, () -> RunlogStore.open(store)), "not writable");
        } finally {
            store.toFile().setWritable(true);
        }
    }

    @Test
    void shouldRefuseAStoreWrittenByANewerFormatVersion() throws Exception {
        open().close();
        final Path props = dir.resolve("store").resolve("runlog-store.properties");
        Files.writeString(props, "format.version=99\n");
        final UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class, this::open);
        assertMessage(e, "99");
        assertEquals("format.version=99\n", Files.readString(props));
    }

    @Test
    void shouldRefuseAPointRingWrittenByANewerFormatVersion() throws Exception {
        try (RunlogStore store = open(); Experiment e = store.createProject("p", ProjectKind.EXPERIMENT_MANAGEMENT)
            .createExperiment("e")) {
            e.metric("m").log(1, 1.0);
        }
        final Path ring = dir.resolve("store/projects/p/experiments/e/points.ring");
        final byte[] header = new byte[io.runlog.store.PointRingLayout.HEADER_LENGTH + 64 * 32];
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, io.runlog.store.PointRingLayout.MAGIC).putInt(8, 7).putInt(12, 64).putInt(16, 32);
        Files.write(ring, header);
        try (RunlogStore store = open()) {
            assertMessage(assertThrows(UnsupportedFormatVersionException.class,
                () -> store.project("p").openExperiment("e")), "version 7");
        }
        assertTrue(Files.exists(ring), "a ring this build cannot read is left for a newer build");
    }

    private static void assertMessage(final Throwable t, final String fragment) {
        assertNotNull(t.getMessage());
        assertTrue(t.getMessage().contains(fragment), () -> "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }
}
