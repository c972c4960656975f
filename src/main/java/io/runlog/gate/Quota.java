package io.runlog.gate;

/**
 * One API key's quota of one limit at one moment, shaped for the HTTP {@code RateLimit} and
 * {@code RateLimit-Policy} headers (draft-ietf-httpapi-ratelimit-headers): {@code
 * RateLimit-Policy: <limit>;w=<windowSeconds>} and {@code RateLimit: limit=<limit>,
 * remaining=<remaining>, reset=<resetSeconds>}. Read with {@link IngestionGate#quota} and
 * {@link IngestionGate#submissionQuota}; reading it counts nothing and creates no state.
 *
 * @param limit         units admitted at most in any interval of the window ({@link RateLimits#UNLIMITED} for an unlimited type)
 * @param remaining     units a request made now may still take (0 to {@code limit}); a request of
 *                      more is refused, one of at most this many is admitted (with no other traffic)
 * @param resetSeconds  whole seconds, rounded up, until everything counted now has left the
 *                      window and {@code remaining} is back to {@code limit} (0: nothing counts)
 * @param windowSeconds the window: 60 for a data type, 3,600 for submissions
 */
public record Quota(long limit, long remaining, long resetSeconds, long windowSeconds) {
    /** True if this limit is lifted ({@link RateLimits#UNLIMITED}). */
    public boolean unlimited() {
        return limit == RateLimits.UNLIMITED;
    }
}
