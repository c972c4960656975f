package io.runlog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * SQLite through xerial's sqlite-jdbc, as its and SQLite's docs recommend for bulk writes:
 * {@code journal_mode=WAL} with {@code synchronous=NORMAL}, auto-commit off, one prepared
 * {@code INSERT} with {@code addBatch}, and {@code executeBatch} + {@code commit} every 1,000 points
 * (and at the end). Table {@code points(metric, seq, step, ts, value REAL)} with primary key
 * {@code (metric, seq)} {@code WITHOUT ROWID}, so a metric is one clustered key range in arrival
 * order. A commit is in the WAL file (written, not fsynced under NORMAL): it survives kill -9, not an
 * OS crash. With {@code durableEvery > 0}: {@code synchronous=FULL} (the WAL is fsynced at every
 * commit) and transactions of that size.
 */
final class SqlitePeer implements PeerStore {
    static final int BATCH_POINTS = 1_000;

    @Override
    public String id() {
        return "sqlite";
    }

    @Override
    public String label() {
        return "SQLite 3.54.1, WAL, batched";
    }

    @Override
    public String acknowledgement(final int durableEvery) {
        return durableEvery > 0
            ? "transaction of " + durableEvery + ", synchronous=FULL: survives an OS crash"
            : "transaction of " + BATCH_POINTS + " (WAL, synchronous=NORMAL, no fsync): survives kill -9, not an OS crash";
    }

    private static Connection connect(final Path dir, final boolean full) throws Exception {
        final Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("points.db"));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=" + (full ? "FULL" : "NORMAL"));
        }
        return c;
    }

    @Override
    public void ingest(final Path dir, final PeerWorkload w, final int durableEvery) throws Exception {
        Files.createDirectories(dir);
        final int batchPoints = durableEvery > 0 ? durableEvery : BATCH_POINTS;
        try (Connection c = connect(dir, durableEvery > 0)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE points (metric INTEGER NOT NULL, seq INTEGER NOT NULL, step INTEGER NOT NULL, "
                    + "ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (metric, seq)) WITHOUT ROWID");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO points (metric, seq, step, ts, value) VALUES (?, ?, ?, ?, ?)")) {
                final long[] perMetric = new long[w.metricNames.length];
                final int n = w.size();
                for (int i = 0; i < n; i++) {
                    final int m = w.metric[i];
                    insert.setInt(1, m);
                    insert.setLong(2, perMetric[m]++);
                    insert.setLong(3, w.step[i]);
                    insert.setLong(4, w.timestamp[i]);
                    insert.setDouble(5, Double.longBitsToDouble(w.bits[i]));
                    insert.addBatch();
                    if ((i + 1) % batchPoints == 0 || i == n - 1) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
        }
    }

    @Override
    public Reader open(final Path dir, final PeerWorkload w) throws Exception {
        final Connection c = connect(dir, false);
        return new Reader() {
            @Override
            public PeerWorkload.Columns read(final int m) throws Exception {
                final int capacity = Math.max(1, w.count(m));
                long[] steps = new long[capacity];
                long[] tss = new long[capacity];
                long[] bits = new long[capacity];
                int n = 0;
                try (PreparedStatement q = c.prepareStatement(
                    "SELECT step, ts, value FROM points WHERE metric = ? ORDER BY seq")) {
                    q.setInt(1, m);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            if (n == steps.length) {
                                steps = java.util.Arrays.copyOf(steps, n * 2);
                                tss = java.util.Arrays.copyOf(tss, n * 2);
                                bits = java.util.Arrays.copyOf(bits, n * 2);
                            }
                            steps[n] = rs.getLong(1);
                            tss[n] = rs.getLong(2);
                            bits[n] = Double.doubleToRawLongBits(rs.getDouble(3));
                            n++;
                        }
                    }
                }
                return new PeerWorkload.Columns(steps, tss, bits, n);
            }

            @Override
            public long probe(final int m) throws Exception {
                try (PreparedStatement q = c.prepareStatement(
                    "SELECT step FROM points WHERE metric = ? ORDER BY seq LIMIT 1")) {
                    q.setInt(1, m);
                    try (ResultSet rs = q.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("no point of metric " + m + " after reopen");
                        }
                        return rs.getLong(1);
                    }
                }
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        };
    }
}
