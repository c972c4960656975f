package io.runlog;

/**
 * A snapshot of a {@link Sync}: how far behind the server is, and what happened last.
 *
 * @param lagPoints           metric points in the local store the server has not acknowledged
 * @param lagEntries          other entries (parameter values, output lines, items, prompts) not acknowledged
 * @param lagBytes            bytes of the last segments prepared but not yet acknowledged (what is
 *                            in flight or waiting); 0 when synced
 * @param acknowledgedPoints  metric points the server acknowledged, over all experiments synced
 * @param sentBytes           body bytes sent since the sync started (retries included)
 * @param segmentsAcknowledged segments answered {@code 200}
 * @param attempts            requests sent (retries included)
 * @param throttleNotices     throttling episodes the server announced ({@code 429})
 * @param lastError           the last failure (network error, status), or null; never contains the API key
 * @param lastErrorAtMillis   when it happened (the sync clock's epoch ms), or 0
 * @param nextAttemptAtMillis when the next request goes out, if the sync is waiting (epoch ms), or 0
 * @param synced              true if the server held everything the store held at the last look
 * @param failure             the error that stopped the sync (an auth refusal), or null while it runs
 */
public record SyncStatus(long lagPoints, long lagEntries, long lagBytes, long acknowledgedPoints, long sentBytes,
                         long segmentsAcknowledged, long attempts, long throttleNotices, String lastError,
                         long lastErrorAtMillis, long nextAttemptAtMillis, boolean synced, SyncException failure) {
}
