package io.runlog.cli;

import io.runlog.RunlogStore;
import io.runlog.StoreOptions;
import io.runlog.gate.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DemoTrafficTest {
    @TempDir
    Path dir;

    @Test
    void shouldThrottleOnlyTheFloodingKeysMetricsAndRaiseItsFlag() {
        final StringWriter text = new StringWriter();
        final DemoTraffic.Result r;
        try (RunlogStore store = RunlogStore.open(dir, new StoreOptions().diskReserveBytes(0))) {
            r = DemoTraffic.run(store, new PrintWriter(text, true), "run");
        }
        final String out = text.toString();
        assertEquals(2_700, r.submissions());
        assertEquals(2, r.notices(), "one episode per minute of flooding (an admission at the retry time ends the first)\n" + out);
        assertTrue(out.contains("notice: METRICS of live/run-alice throttled"), out);
        assertTrue(out.contains("key-bob: 9,018 of 9,018 entries stored, 0 throttled"), out);
        assertTrue(out.contains("key-alice: ") && out.contains("18 of 18 parameter values stored"), out);
        assertEquals(r.entriesSubmitted(), r.entriesStored() + r.entriesThrottled());
        final long aliceMetricsStored = r.entriesStored() - 2 * 9_018 - 18;
        assertTrue(aliceMetricsStored <= 2 * 12_000, "at most 12,000 a minute over 90 s: " + aliceMetricsStored);
        assertTrue(r.flag().of(DataType.METRICS).isPresent());
        assertFalse(r.flag().of(DataType.PARAMETERS).isPresent());
    }
}
