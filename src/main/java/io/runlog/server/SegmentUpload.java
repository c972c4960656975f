package io.runlog.server;

import io.runlog.AlreadyExistsException;
import io.runlog.ArchiveFormatException;
import io.runlog.HardLimitException;
import io.runlog.ImportOptions;
import io.runlog.ImportResult;
import io.runlog.IncrementGapException;
import io.runlog.InvalidValueException;
import io.runlog.RunlogStore;
import io.runlog.StorageFullException;
import io.runlog.archive.ArchiveImporter;
import io.runlog.gate.Admission;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.internal.IoErrors;
import io.runlog.store.ExperimentEngine;
import io.runlog.store.FileSystemFacade;
import io.runlog.store.StoreEngine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Internal: one upload of a segment (docs/sync.md, "Upload a segment"): spools the body to a
 * temporary file (counting it against the body limit), then, holding the experiment's upload
 * lock, imports it with the library's importer, which verifies all of it first, refuses a gap,
 * asks the rate limits (online experiments) through {@link ArchiveImporter.Gatekeeper} before it
 * writes anything, writes, syncs and writes the mark. Only then does the caller answer 200.
 */
final class SegmentUpload {
    static final String SPOOL_PREFIX = "seg-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunlogStore store;
    private final IngestionGate gate;
    private final ServerOptions options;
    private final Path spool;
    /** One lock per experiment: uploads of one experiment are decided and imported one at a time. */
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    SegmentUpload(final RunlogStore store, final IngestionGate gate, final ServerOptions options, final Path spool) {
        this.store = store;
        this.gate = gate;
        this.options = options;
        this.spool = spool;
    }

    /** Removes bodies a killed server left behind (their uploads never got an answer). */
    static void clearSpool(final FileSystemFacade fs, final Path spool) throws IOException {
        fs.createDirectories(spool);
        for (final Path p : fs.list(spool)) {
            if (p.getFileName().toString().startsWith(SPOOL_PREFIX)) {
                fs.deleteIfExists(p);
            }
        }
    }

    /** The rate limit refused the segment: nothing was written. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Admission admission;
        final long[] units;
        final String gateKey;

        Refused(final Admission admission, final long[] units, final String gateKey) {
            super("refused by the rate limits", null, false, false);
            this.admission = admission;
            this.units = units;
            this.gateKey = gateKey;
        }
    }

    ImportResult upload(final String project, final String key, final String gateKey, final InputStream body,
                        final long declaredLength) {
        final FileSystemFacade fs = io.runlog.internal.StoreAccess.fileSystem(io.runlog.internal.StoreAccess.engine(store).options());
        final Path file = spool.resolve(SPOOL_PREFIX + HexFormat.of().formatHex(randomBytes()) + ".rla");
        try {
            receive(fs, file, body);
            final Object lock = locks.computeIfAbsent(project + "/" + key, k -> new Object());
            synchronized (lock) {
                return importSegment(project, key, gateKey, file);
            }
        } finally {
            try {
                fs.deleteIfExists(file);
            } catch (final IOException ignored) {
                // a leftover is removed when the server starts again
            }
        }
    }

    private static byte[] randomBytes() {
        final byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Copies the body to the spool file, refusing it with 413 once it passes the limit. */
    private void receive(final FileSystemFacade fs, final Path file, final InputStream body) {
        final long max = options.maxBodyBytes();
        final byte[] buf = new byte[1 << 16];
        long total = 0;
        try (FileChannel ch = fs.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                final int n;
                try {
                    n = body.read(buf);
                } catch (final IOException e) {
                    throw new HttpProblem(408, "timeout", "Request body not received", "the body stopped after " + total
                        + " bytes: " + IoErrors.describe(e));
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > max) {
                    throw tooLarge(max, "the body passed " + max + " bytes");
                }
                final ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        } catch (final IOException e) {
            throw new HttpProblem(500, "internal", "Cannot spool the segment", "cannot spool the body to " + file.getFileName()
                + ": " + IoErrors.describe(e));
        }
    }

    static HttpProblem tooLarge(final long max, final String what) {
        return new HttpProblem(413, "body-too-large", "Segment too large", what + ": the server takes at most " + max
            + " bytes a segment; send smaller increments (IncrementOptions.maxBytes)")
            .member("limit", "maxBodyBytes").member("limitValue", max);
    }

    private ImportResult importSegment(final String project, final String key, final String gateKey, final Path file) {
        final ArchiveImporter.Gatekeeper gatekeeper = gate == null ? null : (units, offline) -> {
            if (offline) {
                return; // offline experiments meet only the hard limits
            }
            final int[] asked = new int[units.length];
            for (int t = 0; t < units.length; t++) {
                asked[t] = (int) Math.min(Integer.MAX_VALUE, units[t]);
            }
            final Admission a = gate.submit(gateKey, asked);
            if (!a.fullyAdmitted()) {
                throw new Refused(a, units, gateKey);
            }
        };
        try {
            final ServerOptions.ImportProgress listener = options.importProgress();
            return ArchiveImporter.importArchive(store, file, listener == null ? null : listener::update,
                new ImportOptions().project(project).key(key), gatekeeper);
        } catch (final Refused r) {
            throw refusal(project, key, r);
        } catch (final ArchiveFormatException e) {
            throw new HttpProblem(400, "damaged-archive", "Damaged archive", e.getMessage()
                .replace("archive " + file, "the segment").replace(file.toString(), "the segment")).member("offset", e.offset()).member("block", e.block());
        } catch (final IncrementGapException e) {
            throw new HttpProblem(409, "increment-gap", "Increment starts after the server's mark", e.getMessage())
                .member("stream", e.stream()).member("mark", new Json.Raw(Json.markText(e.held())));
        } catch (final HardLimitException e) {
            throw new HttpProblem(409, "hard-limit", "Hard limit reached", e.getMessage().replace(file.toString(), "the segment"))
                .member("limit", e.limitName()).member("limitValue", e.limit()).member("current", e.current());
        } catch (final AlreadyExistsException e) {
            throw new HttpProblem(409, "conflict", "Conflicts with the server's experiment",
                e.getMessage().replace(file.toString(), "the segment"));
        } catch (final InvalidValueException e) {
            throw new HttpProblem(409, "conflict", "Conflicts with the server's experiment",
                e.getMessage().replace(file.toString(), "the segment"));
        } catch (final StorageFullException e) {
            throw new HttpProblem(503, "storage-full", "Server storage full", "the server's disk is below its reserve")
                .header("Retry-After", "60");
        }
    }

    /** 429 (or 413 for a segment no window could admit); raises the experiment's throttle flag if it exists. */
    private HttpProblem refusal(final String project, final String key, final Refused r) {
        final long now = options.clock().time();
        final Admission a = r.admission;
        for (final DataType t : a.tooLarge()) {
            return new HttpProblem(413, "segment-too-large", "Segment larger than the rate limit",
                t + ": the segment adds " + r.units[t.ordinal()] + " units, more than the limit of "
                    + options.rateLimits().perMinute(t) + " a minute admits at once; send smaller segments")
                .member("limit", t.name()).member("limitValue", options.rateLimits().perMinute(t));
        }
        recordThrottle(project, key, a, r.units, now);
        final long seconds = a.retryAfterSeconds(now);
        final StringBuilder which = new StringBuilder();
        String limit = "submissions";
        for (final DataType t : DataType.values()) {
            if (a.throttled(t)) {
                which.append(which.length() == 0 ? "" : ", ").append(t).append(" (").append(r.units[t.ordinal()])
                    .append(" units asked, limit ").append(options.rateLimits().perMinute(t)).append(" a minute)");
                limit = t.name();
            }
        }
        if (a.submissionRetryAt() != 0) {
            which.append(which.length() == 0 ? "" : ", ").append("submissions (limit ")
                .append(options.rateLimits().submissionsPerHour()).append(" an hour)");
            limit = which.indexOf(",") < 0 ? "submissions" : limit;
        }
        final HttpProblem p = new HttpProblem(429, "rate-limited", "Rate limit exceeded", "throttled: " + which
            + "; retry after " + seconds + " s; nothing of the segment was stored")
            .member("limit", limit).member("retryAfter", seconds)
            .header("Retry-After", Long.toString(seconds))
            .header("RateLimit", RateLimitHeaders.current(gate, r.gateKey, a, now));
        final String policy = RateLimitHeaders.policy(options.rateLimits());
        if (policy != null) {
            p.header("RateLimit-Policy", policy);
        }
        return p;
    }

    private void recordThrottle(final String project, final String key, final Admission a, final long[] units,
                                final long now) {
        final StoreEngine se = io.runlog.internal.StoreAccess.engine(store);
        if (!se.projectExists(project) || !se.experimentExists(project, key)) {
            return; // nothing is created for a refused segment
        }
        final ExperimentEngine engine = se.acquire(se.experimentHeader(project, key));
        try {
            for (final DataType t : DataType.values()) {
                if (units[t.ordinal()] > 0 && !a.admitted(t)) {
                    engine.recordThrottle(t, now, units[t.ordinal()]);
                }
            }
        } finally {
            se.release(engine);
        }
    }
}
