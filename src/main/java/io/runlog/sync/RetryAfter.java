package io.runlog.sync;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Internal: the {@code Retry-After} header (RFC 9110 section 10.2.3): either delay-seconds (a
 * non-negative integer) or an HTTP-date, turned into a delay.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * The delay the header asks for, in nanoseconds; empty if the header is missing or neither
     * form parses (the caller then backs off as for an error). A date in the past is a delay of 0.
     *
     * @param nowEpochMillis the client's wall clock, for the HTTP-date form
     */
    public static Optional<Long> delayNanos(final Optional<String> header, final long nowEpochMillis) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        final String v = header.get().strip();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 12) {
                return Optional.of(Long.MAX_VALUE / 4);
            }
            return Optional.of(Long.parseLong(v) * 1_000_000_000L);
        }
        try {
            final long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Optional.of(Math.max(0, at - nowEpochMillis) * 1_000_000L);
        } catch (final DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
