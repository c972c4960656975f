package io.runlog.sync;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RateLimitHeadersTest {
    @Test
    void structuredPoliciesAreReadPerName() {
        final RateLimitHeaders h = RateLimitHeaders.parse(List.of("\"metrics\";r=50;t=30, \"parameters\";r=7;t=2"),
            List.of("\"metrics\";q=1000;w=60", "\"parameters\";q=10;w=60"));
        assertEquals(new RateLimitHeaders.Policy(50, 30, 1000, 60), h.policy("metrics"));
        assertEquals(new RateLimitHeaders.Policy(7, 2, 10, 60), h.policy("PARAMETERS"));
        assertEquals(OptionalLong.of(50), h.remaining("metrics"));
        assertEquals(OptionalLong.empty(), h.remaining("output"));
    }

    @Test
    void theEarlyDictionaryFormIsThePolicyWithoutAName() {
        final RateLimitHeaders h = RateLimitHeaders.parse(List.of("limit=100, remaining=40, reset=9"), List.of());
        assertEquals(new RateLimitHeaders.Policy(40, 9, 100, -1), h.policy(""));
    }

    @Test
    void malformedItemsAreSkippedNotFatal() {
        final RateLimitHeaders h = RateLimitHeaders.parse(List.of(";;;", "\"m\";r=abc;t=5", "=,=", ""),
            List.of("\"m\";q=99999999999999999999"));
        assertEquals(new RateLimitHeaders.Policy(-1, 5, -1, -1), h.policy("m"));
        assertNull(h.policy("x"));
        assertEquals(RateLimitHeaders.NONE.policies(), RateLimitHeaders.parse(List.of(), List.of()).policies());
    }
}
