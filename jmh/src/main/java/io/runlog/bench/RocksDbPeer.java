package io.runlog.bench;

import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * RocksDB JNI with its default options (write-ahead log on, default compression), one key per
 * point: {@code metric id (4 bytes, big-endian) + the point's index within its metric (8 bytes,
 * big-endian)}, so a metric is one key range in arrival order; the value is step, timestamp and the
 * value's bits (24 bytes, little-endian). Points go into a {@code WriteBatch} written every 1,000
 * points (and at the end) with default {@code WriteOptions}: the batch is in the WAL file (written,
 * not fsynced) when {@code write} returns, so it survives kill -9, not an OS crash. With
 * {@code durableEvery > 0}, batches of that size and {@code WriteOptions.setSync(true)}. A metric is
 * read with one iterator from its prefix.
 */
final class RocksDbPeer implements PeerStore {
    static final int BATCH_POINTS = 1_000;

    @Override
    public String id() {
        return "rocksdb";
    }

    @Override
    public String label() {
        return "RocksDB 11.1.2, `WriteBatch` + WAL";
    }

    @Override
    public String acknowledgement(final int durableEvery) {
        return durableEvery > 0
            ? "WriteBatch of " + durableEvery + ", WriteOptions.sync: survives an OS crash"
            : "WriteBatch of " + BATCH_POINTS + " written to the WAL (no fsync): survives kill -9, not an OS crash";
    }

    private static void key(final byte[] key, final int metric, final long index) {
        final ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, metric);
        b.putLong(4, index);
    }

    @Override
    public void ingest(final Path dir, final PeerWorkload w, final int durableEvery) throws Exception {
        final int batchPoints = durableEvery > 0 ? durableEvery : BATCH_POINTS;
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions writeOptions = new WriteOptions().setSync(durableEvery > 0);
             WriteBatch batch = new WriteBatch()) {
            final byte[] key = new byte[12];
            final byte[] value = new byte[24];
            final ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            final long[] perMetric = new long[w.metricNames.length];
            final int[] metric = w.metric;
            final int n = w.size();
            for (int i = 0; i < n; i++) {
                final int m = metric[i];
                key(key, m, perMetric[m]++);
                v.putLong(0, w.step[i]);
                v.putLong(8, w.timestamp[i]);
                v.putLong(16, w.bits[i]);
                batch.put(key, value);
                if ((i + 1) % batchPoints == 0 || i == n - 1) {
                    db.write(writeOptions, batch);
                    batch.clear();
                }
            }
        }
    }

    @Override
    public Reader open(final Path dir, final PeerWorkload w) throws Exception {
        final Options options = new Options().setCreateIfMissing(false);
        final RocksDB db;
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (final Exception e) {
            options.close();
            throw e;
        }
        return new Reader() {
            @Override
            public PeerWorkload.Columns read(final int m) {
                final int capacity = Math.max(1, w.count(m));
                long[] steps = new long[capacity];
                long[] tss = new long[capacity];
                long[] bits = new long[capacity];
                int n = 0;
                final byte[] prefix = new byte[12];
                key(prefix, m, 0);
                try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(ro)) {
                    for (it.seek(prefix); it.isValid(); it.next()) {
                        final byte[] k = it.key();
                        if (ByteBuffer.wrap(k).order(ByteOrder.BIG_ENDIAN).getInt(0) != m) {
                            break;
                        }
                        final ByteBuffer v = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN);
                        if (n == steps.length) {
                            steps = java.util.Arrays.copyOf(steps, n * 2);
                            tss = java.util.Arrays.copyOf(tss, n * 2);
                            bits = java.util.Arrays.copyOf(bits, n * 2);
                        }
                        steps[n] = v.getLong(0);
                        tss[n] = v.getLong(8);
                        bits[n] = v.getLong(16);
                        n++;
                    }
                }
                return new PeerWorkload.Columns(steps, tss, bits, n);
            }

            @Override
            public long probe(final int m) {
                final byte[] prefix = new byte[12];
                key(prefix, m, 0);
                try (RocksIterator it = db.newIterator()) {
                    it.seek(prefix);
                    if (!it.isValid()) {
                        throw new IllegalStateException("no point of metric " + m + " after reopen");
                    }
                    return ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                }
            }

            @Override
            public void close() {
                try {
                    db.close();
                } finally {
                    options.close();
                }
            }
        };
    }
}
