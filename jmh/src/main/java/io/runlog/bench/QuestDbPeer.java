package io.runlog.bench;

import io.questdb.cairo.CairoConfiguration;
import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.TableWriterAPI;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.cairo.wal.ApplyWal2TableJob;
import io.questdb.griffin.SqlExecutionContext;
import io.questdb.griffin.SqlExecutionContextImpl;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * QuestDB embedded, as its "Java (embedded)" page shows: a {@code CairoEngine} on a directory, one
 * narrow table {@code points(metric SYMBOL, step LONG, value DOUBLE, ts TIMESTAMP)} (with {@code index}:
 * {@code metric SYMBOL INDEX}, which a reader filtering on one metric would add) with
 * {@code ts} (microseconds) as the designated timestamp, {@code PARTITION BY DAY}; rows appended with
 * {@code newRow(ts)}, {@code putSym}/{@code putLong}/{@code putDouble}, {@code append()}, and a
 * {@code commit()} every 10,000 rows (and at the end).
 *
 * <ul>
 *   <li>{@code wal = false}: a non-WAL table ({@code BYPASS WAL}) written through {@code TableWriter};
 *       a commit is in the table's mapped files: it survives kill -9, not an OS crash (default
 *       {@code CommitMode.NOSYNC}).</li>
 *   <li>{@code wal = true}: a WAL table (the default the docs recommend) written through
 *       {@code WalWriter}; after the last commit an {@code ApplyWal2TableJob} applies the WAL to the
 *       table (drained before ingest returns, as the embedded example does, since no worker pool
 *       runs it).</li>
 * </ul>
 * With {@code durableEvery > 0} the engine's commit mode is {@code SYNC} (each commit msyncs) and
 * the commit comes every {@code durableEvery} rows.
 */
final class QuestDbPeer implements PeerStore {
    static final int COMMIT_ROWS = 10_000;
    private final boolean wal;
    private final boolean index;

    QuestDbPeer(final boolean wal, final boolean index) {
        this.wal = wal;
        this.index = index;
    }

    @Override
    public String id() {
        return wal ? "questdb-wal" : index ? "questdb-index" : "questdb";
    }

    @Override
    public String label() {
        return wal ? "QuestDB 9.3.2, `WalWriter` + WAL apply"
            : index ? "QuestDB 9.3.2, `TableWriter`, `SYMBOL INDEX`" : "QuestDB 9.3.2, `TableWriter`";
    }

    @Override
    public String acknowledgement(final int durableEvery) {
        return durableEvery > 0
            ? "commit() every " + durableEvery + " rows, CommitMode.SYNC: survives an OS crash"
            : "commit() every " + COMMIT_ROWS + " rows (CommitMode.NOSYNC, mapped files): survives kill -9, not an OS crash";
    }

    private static CairoConfiguration configuration(final Path dir, final boolean sync) {
        if (!sync) {
            return new DefaultCairoConfiguration(dir.toString());
        }
        return new DefaultCairoConfiguration(dir.toString()) {
            @Override
            public int getCommitMode() {
                return CommitMode.SYNC;
            }
        };
    }

    private static SqlExecutionContext context(final CairoEngine engine) {
        return new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE, null);
    }

    @Override
    public void ingest(final Path dir, final PeerWorkload w, final int durableEvery) throws Exception {
        Files.createDirectories(dir);
        final int commitRows = durableEvery > 0 ? durableEvery : COMMIT_ROWS;
        try (CairoEngine engine = new CairoEngine(configuration(dir, durableEvery > 0))) {
            final SqlExecutionContext ctx = context(engine);
            engine.execute("CREATE TABLE points (metric SYMBOL" + (index ? " INDEX" : "") + ", step LONG, value DOUBLE, ts TIMESTAMP) "
                + "TIMESTAMP(ts) PARTITION BY DAY " + (wal ? "WAL" : "BYPASS WAL"), ctx);
            final TableToken token = engine.getTableTokenIfExists("points");
            try (TableWriterAPI writer = wal ? engine.getWalWriter(token) : engine.getWriter(token, "ingest")) {
                final String[] names = w.metricNames;
                final int[] metric = w.metric;
                final long[] step = w.step;
                final long[] ts = w.timestamp;
                final long[] bits = w.bits;
                final int n = w.size();
                for (int i = 0; i < n; i++) {
                    final TableWriter.Row row = writer.newRow(ts[i] * 1000L);
                    row.putSym(0, names[metric[i]]);
                    row.putLong(1, step[i]);
                    row.putDouble(2, Double.longBitsToDouble(bits[i]));
                    row.append();
                    if ((i + 1) % commitRows == 0) {
                        writer.commit();
                    }
                }
                writer.commit();
            }
            if (wal) {
                try (ApplyWal2TableJob apply = new ApplyWal2TableJob(engine, 1)) {
                    apply.drain(0);
                }
            }
        }
    }

    @Override
    public Reader open(final Path dir, final PeerWorkload w) {
        final CairoEngine engine = new CairoEngine(configuration(dir, false));
        final SqlExecutionContext ctx = context(engine);
        return new Reader() {
            @Override
            public PeerWorkload.Columns read(final int m) throws Exception {
                final int capacity = Math.max(1, w.count(m));
                long[] steps = new long[capacity];
                long[] tss = new long[capacity];
                long[] bits = new long[capacity];
                int n = 0;
                try (RecordCursorFactory f = engine.select(
                         "SELECT step, ts, value FROM points WHERE metric = '" + w.metricNames[m] + "'", ctx);
                     RecordCursor cursor = f.getCursor(ctx)) {
                    final Record r = cursor.getRecord();
                    while (cursor.hasNext()) {
                        if (n == steps.length) {
                            steps = java.util.Arrays.copyOf(steps, n * 2);
                            tss = java.util.Arrays.copyOf(tss, n * 2);
                            bits = java.util.Arrays.copyOf(bits, n * 2);
                        }
                        steps[n] = r.getLong(0);
                        tss[n] = r.getTimestamp(1) / 1000L;
                        bits[n] = Double.doubleToRawLongBits(r.getDouble(2));
                        n++;
                    }
                }
                return new PeerWorkload.Columns(steps, tss, bits, n);
            }

            @Override
            public long probe(final int m) throws Exception {
                try (RecordCursorFactory f = engine.select(
                         "SELECT step FROM points WHERE metric = '" + w.metricNames[m] + "' LIMIT 1", ctx);
                     RecordCursor cursor = f.getCursor(ctx)) {
                    if (!cursor.hasNext()) {
                        throw new IllegalStateException("no point of " + w.metricNames[m] + " after reopen");
                    }
                    return cursor.getRecord().getLong(0);
                }
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }
}
