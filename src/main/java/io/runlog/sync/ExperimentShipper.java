package io.runlog.sync;

import io.runlog.Experiment;
import io.runlog.HighWaterMark;
import io.runlog.IncrementResult;
import io.runlog.InvalidValueException;
import io.runlog.MetricInfo;
import io.runlog.SyncAuthException;
import io.runlog.SyncException;
import io.runlog.gate.DataType;

import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Internal: what the sync knows of one experiment and how it ships it, one step at a time, on the
 * uploader's one thread.
 *
 * <p>A step: if the server's mark is not known yet (the start, or after a {@code 409} gap), ask it
 * ({@code GET}); then, for each data type in turn (parameters, output, other, metrics) whose wait
 * is over, export the increment after the acknowledged mark for that type alone, bounded by its
 * {@link SegmentBudget}, and POST it. A {@code 200}'s mark becomes the acknowledged mark (written
 * to the {@link MarkStore} before anything else happens). Nothing else ever moves the mark, so
 * what the client sends next always starts at or before what the server holds: a lost answer
 * costs a resend that the server skips, never a gap or a duplicate.
 */
final class ExperimentShipper {
    /** Order of the types in a step: small, rarely throttled ones first. */
    static final DataType[] ORDER = {DataType.PARAMETERS, DataType.OUTPUT, DataType.OTHER, DataType.METRICS};
    /** A segment the client just made cannot be damaged; after this many {@code 400 damaged-archive} in a row, stop. */
    static final int MAX_DAMAGED_IN_A_ROW = 20;

    /** What a step found. */
    enum Outcome {
        /** Everything the experiment held is acknowledged. */
        SYNCED,
        /** Something was shipped; more may follow at once. */
        PROGRESS,
        /** Data waits for a type's {@code Retry-After} or reset. */
        WAITING,
        /** The server refused the experiment for good ({@link #failure()}). */
        FAILED
    }

    final String project;
    final String key;
    private final Uploader up;
    private final Map<DataType, SegmentBudget> budgets = new EnumMap<>(DataType.class);
    private final Map<DataType, Long> retryAt = new EnumMap<>(DataType.class);
    private HighWaterMark acked;
    private boolean serverAsked;
    private int damagedInARow;
    private SyncException failure;
    long lagPoints;
    long lagEntries;
    double bytesPerPoint = 10;
    double bytesPerEntry = 64;
    long acknowledgedPoints;

    ExperimentShipper(final Uploader up, final String project, final String key) {
        this.up = up;
        this.project = project;
        this.key = key;
        for (final DataType t : ORDER) {
            budgets.put(t, new SegmentBudget(t, up.maxSegmentBytes()));
        }
    }

    SyncException failure() {
        return failure;
    }

    /** The earliest monotonic time a waiting type may send again, or Long.MAX_VALUE. */
    long earliestRetryNanos() {
        long min = Long.MAX_VALUE;
        for (final long t : retryAt.values()) {
            min = Math.min(min, t);
        }
        return min;
    }

    /** One step (see the class comment). */
    Outcome step(final Experiment e, final boolean writable) throws Uploader.Transient, InterruptedException {
        final String source = e.sourceId();
        if (!serverAsked) {
            if (acked == null) {
                acked = up.marks().read(up.server(), project, key).map(ExperimentShipper::parseLocal)
                    .orElse(null);
                updateLag(e);
            }
            askServer(source);
            if (failure != null) {
                return Outcome.FAILED;
            }
        }
        updateLag(e);
        boolean progress = false;
        boolean waiting = false;
        for (final DataType type : ORDER) {
            final Long at = retryAt.get(type);
            if (at != null) {
                if (up.nanoTime() - at < 0) {
                    waiting = true;
                    continue;
                }
                retryAt.remove(type);
            }
            final SegmentBudget budget = budgets.get(type);
            final ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(budget.maxBytes, 1 << 16));
            final IncrementResult r = e.exportIncrement(body, acked, budget.options());
            if (r.isEmpty()) {
                continue;
            }
            final byte[] bytes = body.toByteArray();
            final HttpTransport.Reply reply = up.post(project, key, source, type, bytes);
            final Outcome o = handle(e, writable, type, r, bytes.length, reply);
            if (o == Outcome.FAILED) {
                return o;
            }
            if (o == Outcome.WAITING) {
                waiting = true;
            } else {
                progress = true;
            }
            if (!serverAsked) {
                askServer(source);
                if (failure != null) {
                    return Outcome.FAILED;
                }
            }
        }
        updateLag(e);
        if (progress) {
            return Outcome.PROGRESS;
        }
        return waiting ? Outcome.WAITING : Outcome.SYNCED;
    }

    private void askServer(final String source) throws Uploader.Transient, InterruptedException {
        final HttpTransport.Reply reply = up.get(project, key, source);
        final int s = reply.status();
        if (s == 200) {
            final HighWaterMark m = parseReply(reply);
            setAcked(m);
            serverAsked = true;
            up.learnedMark();
            return;
        }
        refuse(reply, "asking the server's mark");
    }

    private Outcome handle(final Experiment e, final boolean writable, final DataType type, final IncrementResult r,
                           final int bytes, final HttpTransport.Reply reply) throws Uploader.Transient {
        final int s = reply.status();
        final SegmentBudget budget = budgets.get(type);
        final long wait = budget.learn(reply.rateLimits());
        for (final SegmentBudget other : budgets.values()) {
            if (other != budget) {
                final long w = other.learn(reply.rateLimits());
                if (w > 0) {
                    defer(other.type(), w);
                }
            }
        }
        final long units = type == DataType.METRICS ? r.points() : r.entries();
        if (s == 200) {
            final HighWaterMark m = parseReply(reply);
            final long before = acked == null ? 0 : acked.points();
            setAcked(m);
            acknowledgedPoints += Math.max(0, m.points() - before);
            if (r.points() > 0) {
                bytesPerPoint = (double) bytes / r.points();
            } else if (r.entries() > 0) {
                bytesPerEntry = (double) bytes / r.entries();
            }
            damagedInARow = 0;
            up.accepted(bytes);
            up.notices().accepted(writable ? e : null, type, up.epochMillis());
            if (wait > 0) {
                defer(type, wait);
            }
            return Outcome.PROGRESS;
        }
        if (s == 429) {
            final long asked = RetryAfter.delayNanos(reply.header("Retry-After"), up.epochMillis()).orElse(-1L);
            final long delay = Math.max(up.policy().onThrottled(asked), wait);
            defer(type, delay);
            up.throttled(project, key, writable ? e : null, type, delay, units);
            return Outcome.WAITING;
        }
        final String text = reply.bodyText();
        if (s == 409 && text.contains("increment-gap")) {
            serverAsked = false;
            up.noteError("409 increment-gap for " + project + "/" + key + ": re-asking the server's mark");
            return Outcome.PROGRESS;
        }
        if (s == 413 && (text.contains("segment-too-large") || text.contains("body-too-large"))) {
            if (budget.shrink(units, longMember(text, "limitValue"), text.contains("body-too-large"))) {
                up.noteError("413 for a " + type + " segment of " + bytes + " bytes, " + units + " units: sending smaller ones");
                return Outcome.PROGRESS;
            }
        }
        if (s == 400 && text.contains("damaged-archive") && ++damagedInARow < MAX_DAMAGED_IN_A_ROW) {
            // the segment was whole when it left; something on the way damaged it: send it again
            throw up.transientFailure("400 damaged-archive from " + up.server() + " (damaged in transit?)", -1);
        }
        refuse(reply, "uploading a " + type + " segment");
        return Outcome.FAILED;
    }

    /** Statuses other than 200 shared by GET and POST: transient ones throw, permanent ones record the failure. */
    private void refuse(final HttpTransport.Reply reply, final String doing) throws Uploader.Transient {
        final int s = reply.status();
        final String where = project + "/" + key + " at " + up.server();
        if (s >= 500 || s == 408) {
            final long ra = RetryAfter.delayNanos(reply.header("Retry-After"), up.epochMillis()).orElse(-1L);
            throw up.transientFailure(s + " from " + up.server() + " " + doing + " for " + project + "/" + key
                + problemDetail(reply), ra);
        }
        if (s == 401 || s == 403) {
            throw up.fatal(new SyncAuthException("server " + up.server() + " refused the API key with " + s
                + (s == 401 ? " (missing or unknown key)" : " (the key belongs to another project than '" + project + "')")
                + " " + doing + " for " + where, s));
        }
        failure = new SyncException("server refused " + doing + " for " + where + " with " + s + problemDetail(reply), s);
        up.noteError(failure.getMessage());
    }

    /** A non-negative integer member of a problem body, or -1 (the body is small and flat; no JSON library here). */
    static long longMember(final String json, final String name) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name)
            + "\"\\s*:\\s*(\\d{1,18})").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String problemDetail(final HttpTransport.Reply reply) {
        final String t = reply.bodyText().strip();
        if (t.isEmpty()) {
            return "";
        }
        return ": " + (t.length() > 500 ? t.substring(0, 500) + "..." : t);
    }

    private void defer(final DataType type, final long nanos) {
        final long at = up.nanoTime() + nanos;
        retryAt.merge(type, at, (a, b) -> a - b > 0 ? a : b);
        up.nextAttemptAt(at);
    }

    private HighWaterMark parseReply(final HttpTransport.Reply reply) throws Uploader.Transient {
        try {
            return HighWaterMark.fromJson(reply.bodyText());
        } catch (final InvalidValueException e) {
            throw up.transientFailure("server " + up.server() + " answered " + reply.status()
                + " with a body that is not a mark: " + e.getMessage(), -1);
        }
    }

    private static HighWaterMark parseLocal(final byte[] json) {
        try {
            return HighWaterMark.fromJson(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        } catch (final InvalidValueException e) {
            return null;
        }
    }

    private void setAcked(final HighWaterMark m) {
        acked = m;
        up.marks().write(up.server(), project, key, m.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HighWaterMark acked() {
        return acked;
    }

    private void updateLag(final Experiment e) {
        final HighWaterMark m = acked == null ? HighWaterMark.EMPTY : acked;
        long points = 0;
        for (final MetricInfo mi : e.metrics()) {
            points += Math.max(0, mi.count() - m.metricPoints(mi.name()));
        }
        long entries = Math.max(0, e.outputLineCount() - m.outputLines())
            + Math.max(0, e.items().size() - m.items()) + Math.max(0, e.promptCount() - m.prompts());
        for (final String name : e.parameters().keySet()) {
            entries += Math.max(0, e.parameterHistory(name).size() - m.parameterValues(name));
        }
        lagPoints = points;
        lagEntries = entries;
    }

    /** The lag's estimated size on the wire, from the last segments' bytes per point and per entry. */
    long lagBytes() {
        return (long) (lagPoints * bytesPerPoint + lagEntries * bytesPerEntry);
    }

    Optional<SyncException> failed() {
        return Optional.ofNullable(failure);
    }
}
