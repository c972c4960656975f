package io.runlog;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HighWaterMarkTest {
    private static final String SOURCE = "00112233445566778899aabbccddeeff";

    @Test
    void shouldReadItsOwnJsonBackEqualWithAwkwardNames() {
        final Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put("train/loss", 1200L);
        metrics.put("quote \" back\\slash \u00e9 \uD83D\uDE80 tab\t", Long.MAX_VALUE);
        final HighWaterMark m = new HighWaterMark(SOURCE, metrics, Map.of("lr", 2L), 5, 1, 0);
        final String json = m.toJson();
        assertEquals(m, HighWaterMark.fromJson(json));
        assertEquals(m.hashCode(), HighWaterMark.fromJson(json).hashCode());
        assertEquals(HighWaterMark.EMPTY, HighWaterMark.fromJson(HighWaterMark.EMPTY.toJson()));
        assertEquals("{\"source\":null,\"metrics\":{},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
            HighWaterMark.EMPTY.toJson());
    }

    @Test
    void shouldIgnoreUnknownMembersAndWhitespace() {
        final HighWaterMark m = HighWaterMark.fromJson(" {\"later\":[1,{\"x\":true},2.5e3,null], \"source\" : \"" + SOURCE
            + "\", \"metrics\":{\"a\":3},\"parameters\":{},\"output\":0,\"items\":2,\"prompts\":1,\"extra\":false}\n");
        assertEquals(new HighWaterMark(SOURCE, Map.of("a", 3L), Map.of(), 0, 2, 1), m);
    }

    @Test
    void shouldRefuseMalformedMarksNamingTheOffset() {
        for (final String bad : new String[] {"", "{", "{\"source\":null}", "[]",
            "{\"source\":null,\"metrics\":{\"a\":-1},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
            "{\"source\":null,\"metrics\":{\"a\":1.5},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
            "{\"source\":null,\"metrics\":{\"a\":1,\"a\":2},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
            "{\"source\":\"XYZ\",\"metrics\":{},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0}",
            "{\"source\":null,\"metrics\":{},\"parameters\":{},\"output\":99999999999999999999,\"items\":0,\"prompts\":0}",
            "{\"source\":null,\"metrics\":{},\"parameters\":{},\"output\":0,\"items\":0,\"prompts\":0} x"}) {
            final InvalidValueException e = assertThrows(InvalidValueException.class, () -> HighWaterMark.fromJson(bad), bad);
            assertTrue(e.getMessage().startsWith("mark JSON"), e.getMessage());
        }
    }

    @Test
    void shouldTreatACountOfZeroAsNoneAndCompareCoverage() {
        final HighWaterMark a = new HighWaterMark(SOURCE, Map.of("x", 0L, "y", 4L), Map.of(), 1, 0, 0);
        assertEquals(new HighWaterMark(SOURCE, Map.of("y", 4L), Map.of(), 1, 0, 0), a);
        final HighWaterMark b = new HighWaterMark(SOURCE, Map.of("y", 5L), Map.of(), 1, 0, 0);
        assertTrue(b.covers(a));
        assertFalse(a.covers(b));
        assertEquals(5, b.points());
        assertEquals(1, b.entries());
    }
}
