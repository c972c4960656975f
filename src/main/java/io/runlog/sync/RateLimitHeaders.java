package io.runlog.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Internal: what a server's rate-limit headers say is left, per policy (a data type's name).
 *
 * <p>Two spellings are read, both from the IETF draft "RateLimit header fields for HTTP":
 * the structured one of its later revisions, {@code RateLimit: "metrics";r=50;t=30} with
 * {@code RateLimit-Policy: "metrics";q=1000;w=60} (several policies separated by commas), and the
 * early one, {@code RateLimit: limit=1000, remaining=50, reset=30}, read as the policy
 * {@code ""}. Unknown parameters are ignored, malformed items skipped: these headers only size
 * segments, they never decide whether to send.
 *
 * @param policies policy name (lower case) to what is known of it
 */
public record RateLimitHeaders(Map<String, Policy> policies) {
    /** No headers. */
    public static final RateLimitHeaders NONE = new RateLimitHeaders(Map.of());

    /**
     * One policy: units left in the window, seconds until it resets, the quota and window length;
     * -1 where the server did not say.
     */
    public record Policy(long remaining, long resetSeconds, long quota, long windowSeconds) {
        Policy merge(final Policy o) {
            return new Policy(o.remaining >= 0 ? o.remaining : remaining, o.resetSeconds >= 0 ? o.resetSeconds : resetSeconds,
                o.quota >= 0 ? o.quota : quota, o.windowSeconds >= 0 ? o.windowSeconds : windowSeconds);
        }
    }

    /** Parses the values of {@code RateLimit} and {@code RateLimit-Policy} (each possibly repeated). */
    public static RateLimitHeaders parse(final List<String> rateLimit, final List<String> policy) {
        final Map<String, Policy> out = new LinkedHashMap<>();
        for (final String v : rateLimit) {
            if (v.contains("remaining=") && !v.contains(";")) {
                final Map<String, Long> kv = dictionary(v);
                merge(out, "", new Policy(kv.getOrDefault("remaining", -1L), kv.getOrDefault("reset", -1L),
                    kv.getOrDefault("limit", -1L), -1));
                continue;
            }
            for (final String item : v.split(",")) {
                final String name = itemName(item);
                if (name == null) {
                    continue;
                }
                final Map<String, Long> p = params(item);
                merge(out, name, new Policy(p.getOrDefault("r", -1L), p.getOrDefault("t", -1L), -1, -1));
            }
        }
        for (final String v : policy) {
            for (final String item : v.split(",")) {
                final String name = itemName(item);
                if (name == null) {
                    continue;
                }
                final Map<String, Long> p = params(item);
                merge(out, name, new Policy(-1, -1, p.getOrDefault("q", -1L), p.getOrDefault("w", -1L)));
            }
        }
        return new RateLimitHeaders(Map.copyOf(out));
    }

    /** Units left for the policy, if the server said. */
    public OptionalLong remaining(final String name) {
        final Policy p = policies.get(name.toLowerCase(Locale.ROOT));
        return p == null || p.remaining < 0 ? OptionalLong.empty() : OptionalLong.of(p.remaining);
    }

    /** The policy, or null. */
    public Policy policy(final String name) {
        return policies.get(name.toLowerCase(Locale.ROOT));
    }

    private static void merge(final Map<String, Policy> out, final String name, final Policy p) {
        out.merge(name, p, Policy::merge);
    }

    private static String itemName(final String item) {
        final String s = item.strip();
        final int semi = s.indexOf(';');
        String name = (semi < 0 ? s : s.substring(0, semi)).strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.isEmpty() || name.contains("=")) {
            return null;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Long> params(final String item) {
        final Map<String, Long> out = new LinkedHashMap<>();
        final String[] parts = item.split(";");
        for (int i = 1; i < parts.length; i++) {
            putNumber(out, parts[i]);
        }
        return out;
    }

    private static Map<String, Long> dictionary(final String v) {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (final String part : v.split(",")) {
            putNumber(out, part);
        }
        return out;
    }

    private static void putNumber(final Map<String, Long> out, final String kv) {
        final int eq = kv.indexOf('=');
        if (eq <= 0) {
            return;
        }
        final String k = kv.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        final String n = kv.substring(eq + 1).strip();
        if (n.isEmpty() || n.length() > 18 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return;
        }
        out.put(k, Long.parseLong(n));
    }
}
